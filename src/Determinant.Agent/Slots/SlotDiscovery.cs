using System.Diagnostics;
using Determinant.Agent.Hosting;
using Determinant.Protocol.Agent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Determinant.Agent.Slots;

/// <summary>
/// The slots the agent offers, found once: <c>--slots N</c> CPU slots when given; else one per GPU that
/// <c>nvidia-smi</c> lists; else one CPU slot per processor.
/// </summary>
internal sealed partial class SlotDiscovery(IOptions<AgentOptions> options, ILogger<SlotDiscovery> logger)
{
    private static readonly TimeSpan NvidiaSmiTimeout = TimeSpan.FromSeconds(15);
    private readonly Lazy<IReadOnlyList<AgentSlot>> _slots = new(() => Discover(options.Value, logger));

    public IReadOnlyList<AgentSlot> Slots => _slots.Value;

    private static IReadOnlyList<AgentSlot> Discover(AgentOptions options, ILogger logger)
    {
        if (options.Slots is { } count)
            return CpuSlots(count);
        var gpus = QueryNvidiaSmi(logger);
        if (gpus.Count > 0)
        {
            LogGpus(logger, gpus.Count, gpus[0].Device ?? "");
            return gpus;
        }
        return CpuSlots(Environment.ProcessorCount);
    }

    private static AgentSlot[] CpuSlots(int count) => [.. Enumerable.Range(0, count).Select(i => new AgentSlot(i, SlotTypes.Cpu, null))];

    private static IReadOnlyList<AgentSlot> QueryNvidiaSmi(ILogger logger)
    {
        var path = FindOnPath("nvidia-smi");
        if (path is null)
            return [];
        try
        {
            var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { "--query-gpu=index,name", "--format=csv,noheader" })
                start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(NvidiaSmiTimeout))
            {
                process.Kill(entireProcessTree: true);
                LogNvidiaSmiFailed(logger, "it did not answer in time");
                return [];
            }
            if (process.ExitCode != 0)
            {
                LogNvidiaSmiFailed(logger, $"exit code {process.ExitCode}");
                return [];
            }
            return NvidiaSmiParser.Parse(output.GetAwaiter().GetResult());
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or FormatException or IOException)
        {
            LogNvidiaSmiFailed(logger, e.Message);
            return [];
        }
    }

    internal static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);

    [LoggerMessage(Level = LogLevel.Information, Message = "Found {Count} GPUs with nvidia-smi ({Device}, …)")]
    private static partial void LogGpus(ILogger logger, int count, string device);

    [LoggerMessage(Level = LogLevel.Warning, Message = "nvidia-smi is present but failed, offering CPU slots: {Reason}")]
    private static partial void LogNvidiaSmiFailed(ILogger logger, string reason);
}
