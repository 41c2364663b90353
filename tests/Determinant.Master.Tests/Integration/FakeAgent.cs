using System.Net.Http.Json;
using Determinant.Protocol.Agent;

namespace Determinant.Master.Tests.Integration;

/// <summary>Speaks the agent protocol over HTTP the way src/Determinant.Agent does, one call at a time, for tests.</summary>
public sealed class FakeAgent(MasterHost host, string id, int slots, string? hostname = null, IReadOnlyDictionary<string, string>? programs = null) : IDisposable
{
    private readonly HttpClient _client = host.AgentClient(id);

    // Commands a poll returned after the one NextCommandAsync handed out: a single poll can carry several (a kill and
    // the relaunch right behind it), and the real agent runs them all.
    private readonly Queue<AgentCommand> _unread = new();

    public string Id { get; } = id;

    public long After { get; private set; }

    public async Task<RegisterAgentResponse> RegisterAsync(params AgentAllocation[] allocations)
    {
        var request = new RegisterAgentRequest(Id, hostname ?? Id, [.. Enumerable.Range(0, slots).Select(i => new AgentSlot(i, SlotTypes.Cpu, null))], "test", null, allocations, Programs: programs);
        var response = await _client.PostAsJsonAsync(AgentRoutes.Register, request, AgentJsonContext.Default.RegisterAgentRequest);
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync(AgentJsonContext.Default.RegisterAgentResponse))!;
        After = body.CommandsAfter;
        return body;
    }

    /// <summary>
    /// Commands not yet handed out, then one long poll (skipped when some were waiting); acknowledges what it got by
    /// moving <see cref="After"/>.
    /// </summary>
    public async Task<IReadOnlyList<AgentCommand>> PollAsync(int timeoutSeconds)
    {
        if (_unread.Count > 0)
        {
            var waiting = _unread.ToList();
            _unread.Clear();
            return waiting;
        }
        var response = await _client.GetAsync(AgentRoutes.Commands(Id, After, timeoutSeconds));
        response.EnsureSuccessStatusCode();
        var commands = (await response.Content.ReadFromJsonAsync(AgentJsonContext.Default.AgentCommandsResponse))!.Commands;
        if (commands.Count > 0)
            After = commands[^1].Seq;
        return commands;
    }

    /// <summary>Polls until a command comes or the deadline passes.</summary>
    public async Task<AgentCommand> NextCommandAsync(TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            var commands = await PollAsync(5);
            if (commands.Count > 0)
            {
                foreach (var later in commands.Skip(1))
                    _unread.Enqueue(later);
                return commands[0];
            }
        }
        throw new TimeoutException($"agent {Id} got no command within {within}");
    }

    public Task<HttpResponseMessage> SendEventAsync(string allocationId, string state, int? exitCode = null) =>
        _client.PostAsJsonAsync(AgentRoutes.Events(Id, allocationId), new AllocationEvent(state, DateTimeOffset.UtcNow, exitCode), AgentJsonContext.Default.AllocationEvent);

    /// <summary>RUNNING, with the ports the agent chose for the task's services.</summary>
    public Task<HttpResponseMessage> SendRunningAsync(string allocationId, IReadOnlyDictionary<string, int> ports) =>
        _client.PostAsJsonAsync(AgentRoutes.Events(Id, allocationId), new AllocationEvent(AllocationStates.Running, DateTimeOffset.UtcNow, Ports: ports),
            AgentJsonContext.Default.AllocationEvent);

    public void Dispose() => _client.Dispose();
}
