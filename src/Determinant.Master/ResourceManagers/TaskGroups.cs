using System.Globalization;

namespace Determinant.Master.ResourceManagers;

/// <summary>The fair-share groups of <see cref="AllocationRequest.Group"/>: an experiment's trials share one; any other task is its own.</summary>
internal static class TaskGroups
{
    public static string Experiment(int experimentId) => "experiment:" + experimentId.ToString(CultureInfo.InvariantCulture);

    public static string Task(string taskId) => "task:" + taskId;
}
