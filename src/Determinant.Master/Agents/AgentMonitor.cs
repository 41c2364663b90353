using Determinant.Master.Configuration;
using Microsoft.Extensions.Options;

namespace Determinant.Master.Agents;

/// <summary>Declares agents lost when they have not polled for <c>agent_timeout_seconds</c>; their allocations are rescheduled.</summary>
internal sealed partial class AgentMonitor(
    AgentRegistry registry, AllocationExits exits, IOptions<MasterOptions> options, TimeProvider time, ILogger<AgentMonitor> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var timeout = TimeSpan.FromSeconds(options.Value.AgentTimeoutSeconds);
        var interval = TimeSpan.FromSeconds(Math.Clamp(options.Value.AgentTimeoutSeconds / 4.0, 0.1, 5));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await CheckAsync(timeout, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>Removes every agent silent for longer than <paramref name="timeout"/> and gives up on its allocations.</summary>
    public async Task CheckAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        foreach (var agentId in registry.Expired(time.GetUtcNow().UtcDateTime, timeout))
        {
            var lost = registry.Remove(agentId);
            LogAgentLost(logger, agentId, timeout.TotalSeconds, lost.Count);
            foreach (var placement in lost)
                await exits.LostAsync(placement, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {AgentId} sent no poll for {Seconds} s and is lost, with {Allocations} allocations")]
    private static partial void LogAgentLost(ILogger logger, string agentId, double seconds, int allocations);
}
