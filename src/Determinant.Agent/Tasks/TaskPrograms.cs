using Determinant.Agent.Hosting;
using Determinant.Agent.Slots;

namespace Determinant.Agent.Tasks;

/// <summary>
/// The programs that some task types need beyond the harness (TensorBoard's <c>tensorboard</c>), as this agent finds
/// them: the configured path when it names an executable file, else the first on the agent's <c>PATH</c>. The agent
/// reports them when it registers, and a task gets each one's path as <c>DET_&lt;NAME&gt;_PATH</c>.
/// </summary>
internal static class TaskPrograms
{
    public const string TensorBoard = "tensorboard";

    public static Dictionary<string, string> Find(AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        var tensorboard = string.IsNullOrWhiteSpace(options.TensorBoardPath)
            ? SlotDiscovery.FindOnPath(TensorBoard)
            : File.Exists(options.TensorBoardPath) ? Path.GetFullPath(options.TensorBoardPath) : null;
        if (tensorboard is not null)
            found[TensorBoard] = tensorboard;
        return found;
    }

    /// <summary>The variable that carries <paramref name="program"/>'s path into a task: <c>DET_TENSORBOARD_PATH</c>.</summary>
    public static string Variable(string program) => "DET_" + program.ToUpperInvariant() + "_PATH";
}
