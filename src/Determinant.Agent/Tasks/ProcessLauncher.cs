using System.Diagnostics;
using System.Text;
using Determinant.Agent.Slots;

namespace Determinant.Agent.Tasks;

/// <summary>
/// Starts a task process in its own session and process group, so a kill reaches everything it started and an agent
/// restart does not take it down. .NET cannot call setsid(2) between fork and exec, so the process is started through
/// util-linux's <c>setsid</c>, which execs the command in place: the process keeps the pid we see, and that pid is
/// also its group id. Without <c>setsid</c> on PATH the command starts directly, and kills reach only the process.
/// </summary>
internal sealed class ProcessLauncher
{
    private readonly string? _setsid = SlotDiscovery.FindOnPath("setsid");

    /// <summary>True when started processes lead their own process group.</summary>
    public bool StartsProcessGroups => _setsid is not null;

    public Process Start(TaskContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var argv = context.Launch.Argv;
        if (argv.Count == 0)
            throw new ArgumentException("the launch command has an empty argv");
        var start = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = context.WorkDirectory,
            FileName = _setsid ?? argv[0],
        };
        if (_setsid is not null)
        {
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(argv[0]);
        }
        foreach (var argument in argv.Skip(1))
            start.ArgumentList.Add(argument);
        start.Environment.Clear();
        foreach (var (name, value) in TaskEnvironment.Build(context))
            start.Environment[name] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start '{argv[0]}'");
        // A task reads no input; closing it gives EOF instead of a hang on the agent's terminal.
        process.StandardInput.Close();
        return process;
    }
}
