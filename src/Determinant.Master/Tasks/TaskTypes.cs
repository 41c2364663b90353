using Determinant.Master.Data.Entities;

namespace Determinant.Master.Tasks;

/// <summary>Task types as the API and <c>DET_TASK_TYPE</c> spell them (<c>TRIAL</c>, <c>NOTEBOOK</c>, …).</summary>
internal static class TaskTypes
{
    public static string Wire(TaskType type) => type switch
    {
        TaskType.Trial => "TRIAL",
        TaskType.Notebook => "NOTEBOOK",
        TaskType.Tensorboard => "TENSORBOARD",
        TaskType.Command => "COMMAND",
        TaskType.Shell => "SHELL",
        TaskType.CheckpointGc => "CHECKPOINT_GC",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown task type"),
    };

    /// <summary>A wire name (with or without Determined's <c>TASK_TYPE_</c> prefix, any case); null when it names none.</summary>
    public static TaskType? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var name = text.Trim().ToUpperInvariant();
        if (name.StartsWith("TASK_TYPE_", StringComparison.Ordinal))
            name = name["TASK_TYPE_".Length..];
        return Enum.GetValues<TaskType>().Cast<TaskType?>().FirstOrDefault(t => Wire(t!.Value) == name);
    }
}
