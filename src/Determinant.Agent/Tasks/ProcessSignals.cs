using System.Runtime.InteropServices;

namespace Determinant.Agent.Tasks;

/// <summary>Signals a task's process group with kill(2); .NET has no API for a group, nor for SIGTERM.</summary>
internal static partial class ProcessSignals
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    /// <summary>Sends <paramref name="signal"/> to every process of group <paramref name="groupId"/>; false when none is left.</summary>
    public static bool SignalGroup(int groupId, int signal) => groupId > 1 && Kill(-groupId, signal) == 0;

    public static bool SignalProcess(int processId, int signal) => processId > 1 && Kill(processId, signal) == 0;

    public static string Name(int signal) => signal switch
    {
        SigKill => "SIGKILL",
        SigTerm => "SIGTERM",
        _ => $"signal {signal}",
    };

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
