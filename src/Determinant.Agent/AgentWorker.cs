using System.Reflection;
using Determinant.Agent.Hosting;
using Determinant.Agent.Master;
using Determinant.Agent.Reporting;
using Determinant.Agent.Slots;
using Determinant.Agent.Tasks;
using Determinant.Protocol.Agent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Determinant.Agent;

/// <summary>
/// Registers with the master, then long-polls its commands (the poll is also the heartbeat) and hands them to the
/// supervisor as soon as they arrive. Any lost contact (no answer, or 404: the master forgot this agent after a
/// restart) ends in a new registration that lists the allocations still here; the tasks keep running meanwhile.
/// </summary>
internal sealed partial class AgentWorker(
    MasterClient master, TaskSupervisor supervisor, SlotDiscovery slots, IOptions<AgentOptions> options, TimeProvider time,
    Sandbox.TaskSandbox sandbox, ILogger<AgentWorker> logger) : BackgroundService
{
    private static readonly string Version =
        typeof(AgentWorker).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    private readonly AgentOptions _options = options.Value;

    // Found once, as the launches see them (TaskRuntime.Programs): what the agent reports is what its tasks get.
    private readonly Dictionary<string, string> _programs = TaskPrograms.Find(options.Value);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = new Backoff(
            TimeSpan.FromMilliseconds(_options.RetryMinMilliseconds), TimeSpan.FromMilliseconds(_options.RetryMaxMilliseconds), time);
        var agentId = _options.ResolvedAgentId;
        // Tasks a previous run of this agent left behind: it has no pipes to them, so it registers without them.
        await sandbox.KillLeftoversAsync(stoppingToken).ConfigureAwait(false);
        while (!stoppingToken.IsCancellationRequested)
        {
            var registered = false;
            try
            {
                var registration = await master.RegisterAsync(Registration(agentId), stoppingToken).ConfigureAwait(false);
                registered = true;
                LogRegistered(logger, agentId, slots.Slots.Count, master.BaseAddress);
                backoff.Reset();
                await PollAsync(agentId, registration, stoppingToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (registered && e.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                // A poll answered 404: the master forgot this agent; registering again at once loses no time.
                LogForgotten(logger, agentId);
            }
            catch (HttpRequestException e) when (e.StatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden)
            {
                // A credential that is wrong, revoked or another agent's: retrying soon will not help, saying why might.
                LogCredentialRefused(logger, (int)e.StatusCode, agentId);
                await backoff.WaitAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (MasterClient.IsTransient(e, stoppingToken) || e is HttpRequestException)
            {
                LogContactLost(logger, e.Message);
                await backoff.WaitAsync(stoppingToken).ConfigureAwait(false);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await supervisor.StopAllAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task PollAsync(string agentId, RegisterAgentResponse registration, CancellationToken stoppingToken)
    {
        var after = registration.CommandsAfter;
        var timeoutSeconds = Math.Clamp(registration.HeartbeatIntervalSeconds, 1, 300);
        while (true)
        {
            var response = await master.PollCommandsAsync(agentId, after, timeoutSeconds, stoppingToken).ConfigureAwait(false);
            foreach (var command in response.Commands.OrderBy(c => c.Seq))
            {
                if (command.Seq <= after)
                    continue;
                Dispatch(command);
                after = command.Seq;
            }
        }
    }

    private void Dispatch(AgentCommand command)
    {
        if (command.Launch is { } launch)
        {
            LogLaunch(logger, command.Seq, launch.AllocationId, launch.Argv.Count > 0 ? launch.Argv[0] : "");
            supervisor.Launch(launch);
        }
        else if (command.Kill is { } kill)
        {
            LogKill(logger, command.Seq, kill.AllocationId, kill.Graceful);
            supervisor.Kill(kill);
        }
        else
        {
            LogUnknownCommand(logger, command.Seq);
        }
    }

    private RegisterAgentRequest Registration(string agentId) =>
        new(agentId, Environment.MachineName, slots.Slots, Version, _options.ResourcePool, supervisor.Allocations(),
            TaskWorkers.AddressToward(master.BaseAddress).ToString(), _programs, sandbox.Enabled);

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered as {AgentId} with {SlotCount} slots at {Master}")]
    private static partial void LogRegistered(ILogger logger, string agentId, int slotCount, Uri master);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The master does not know agent {AgentId} (it restarted?); registering again")]
    private static partial void LogForgotten(ILogger logger, string agentId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The master refused this agent's credential ({Status}): it is wrong, revoked, or issued for another agent id. "
        + "An admin issues one with `det agent credential create {AgentId} -o FILE`; start the agent with --agent-id {AgentId} --token-file FILE")]
    private static partial void LogCredentialRefused(ILogger logger, int status, string agentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost contact with the master, retrying: {Reason}")]
    private static partial void LogContactLost(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Command {Seq}: launch allocation {AllocationId} ({Program})")]
    private static partial void LogLaunch(ILogger logger, long seq, string allocationId, string program);

    [LoggerMessage(Level = LogLevel.Information, Message = "Command {Seq}: kill allocation {AllocationId} (graceful: {Graceful})")]
    private static partial void LogKill(ILogger logger, long seq, string allocationId, bool graceful);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Command {Seq} is neither a launch nor a kill; ignored (a newer master?)")]
    private static partial void LogUnknownCommand(ILogger logger, long seq);
}
