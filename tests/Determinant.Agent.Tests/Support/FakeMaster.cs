using System.Text.Json;
using Determinant.Protocol.Agent;
using Determinant.Protocol.CoreApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Determinant.Agent.Tests.Support;

/// <summary>
/// The master's side of docs/agent-protocol.md, in memory on Kestrel at 127.0.0.1: it records what the agent sends,
/// queues commands, can refuse everything with 503 (an outage) and can forget every agent (a restart).
/// </summary>
internal sealed class FakeMaster : IAsyncDisposable
{
    public const string Token = "test-agent-token";

    private readonly Lock _gate = new();
    private readonly List<RegisterAgentRequest> _registrations = [];
    private readonly List<RecordedEvent> _events = [];
    private readonly List<RecordedLog> _logs = [];
    private readonly List<AgentCommand> _commands = [];
    private readonly HashSet<string> _agents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _acknowledged = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _order;
    private long _seq;
    private int _refused;
    private WebApplication? _app;

    public Uri Address { get; private set; } = null!;

    /// <summary>While true every route answers 503.</summary>
    public bool Unavailable { get; set; }

    public int RefusedRequests => Volatile.Read(ref _refused);

    public IReadOnlyList<RegisterAgentRequest> Registrations => Snapshot(_registrations);

    public IReadOnlyList<RecordedEvent> Events => Snapshot(_events);

    public IReadOnlyList<RecordedLog> Logs => Snapshot(_logs);

    /// <summary>The agent's <paramref name="index"/>-th registration (0: the first), or null before it arrived.</summary>
    public RegisterAgentRequest? RegistrationAt(int index)
    {
        var registrations = Registrations;
        return registrations.Count > index ? registrations[index] : null;
    }

    public RecordedEvent? EventOf(string allocationId, string state) =>
        Events.FirstOrDefault(e => e.AllocationId == allocationId && e.Event.State == state);

    public IReadOnlyList<TaskLog> LogsOf(string allocationId) => [.. Logs.Where(l => l.Log.AllocationId == allocationId).Select(l => l.Log)];

    /// <summary>Waits for the allocation's EXITED event.</summary>
    public Task<RecordedEvent> ExitedAsync(string allocationId) =>
        Eventually.GetAsync(() => EventOf(allocationId, AllocationStates.Exited), $"EXITED of {allocationId}");

    /// <summary>Waits for a log line of the allocation that holds <paramref name="text"/>.</summary>
    public Task<TaskLog> LineAsync(string allocationId, string text) =>
        Eventually.GetAsync(() => LogsOf(allocationId).FirstOrDefault(l => l.Log.Contains(text, StringComparison.Ordinal)),
            $"a log line '{text}' of {allocationId}");

    public static async Task<FakeMaster> StartAsync()
    {
        var master = new FakeMaster();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Use(master.GuardAsync);
        app.MapPost("/api/v1/agents/register", master.RegisterAsync);
        app.MapGet("/api/v1/agents/{agentId}/commands", master.PollAsync);
        app.MapPost("/api/v1/agents/{agentId}/allocations/{allocationId}/events", master.EventAsync);
        app.MapPost("/api/v1/task/logs", master.LogsAsync);
        app.MapGet("/files/{name}", (string name) => master._files.TryGetValue(name, out var bytes)
            ? Results.Bytes(bytes, "application/gzip") : Results.NotFound());
        await app.StartAsync();
        master._app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        master.Address = new Uri(address);
        return master;
    }

    /// <summary>Serves <paramref name="bytes"/> at the returned path, for <see cref="ModelDefinitionSource.Url"/>.</summary>
    public string Serve(string name, byte[] bytes)
    {
        lock (_gate)
            _files[name] = bytes;
        return $"/files/{name}";
    }

    public long Enqueue(LaunchCommand? launch = null, KillCommand? kill = null)
    {
        lock (_gate)
        {
            _commands.Add(new AgentCommand(++_seq, launch, kill));
            Wake();
            return _seq;
        }
    }

    /// <summary>Forgets every agent and command, as a master restart would; waiting polls answer 404.</summary>
    public void Restart()
    {
        lock (_gate)
        {
            _agents.Clear();
            _commands.Clear();
            _acknowledged.Clear();
            _seq = 0;
            Wake();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
    }

    private async Task GuardAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Headers[AgentHeaders.Token] != Token)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        if (Unavailable)
        {
            Interlocked.Increment(ref _refused);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }
        await next(context);
    }

    private async Task<IResult> RegisterAsync(HttpRequest request)
    {
        var registration = await JsonSerializer.DeserializeAsync(request.Body, AgentJsonContext.Default.RegisterAgentRequest);
        lock (_gate)
        {
            _registrations.Add(registration!);
            _agents.Add(registration!.AgentId);
            var after = _acknowledged.GetValueOrDefault(registration.AgentId);
            return Results.Json(new RegisterAgentResponse(registration.AgentId, 5, 20, after), AgentJsonContext.Default.RegisterAgentResponse);
        }
    }

    private async Task<IResult> PollAsync(string agentId, long after, int timeout_seconds, HttpContext context)
    {
        var deadline = Task.Delay(TimeSpan.FromSeconds(timeout_seconds), context.RequestAborted);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (!_agents.Contains(agentId))
                    return Results.NotFound();
                _acknowledged[agentId] = after;
                var pending = _commands.Where(c => c.Seq > after).ToList();
                if (pending.Count > 0 || deadline.IsCompleted)
                    return Results.Json(new AgentCommandsResponse(pending), AgentJsonContext.Default.AgentCommandsResponse);
                changed = _changed.Task;
            }
            await Task.WhenAny(changed, deadline);
        }
    }

    private async Task<IResult> EventAsync(string agentId, string allocationId, HttpRequest request)
    {
        var allocationEvent = await JsonSerializer.DeserializeAsync(request.Body, AgentJsonContext.Default.AllocationEvent);
        lock (_gate)
            _events.Add(new RecordedEvent(++_order, agentId, allocationId, allocationEvent!));
        return Results.Ok();
    }

    private async Task<IResult> LogsAsync(HttpRequest request)
    {
        var batch = await JsonSerializer.DeserializeAsync(request.Body, CoreApiJsonContext.Default.PostTaskLogsRequest);
        lock (_gate)
        {
            foreach (var log in batch!.Logs)
                _logs.Add(new RecordedLog(++_order, log));
        }
        return Results.Ok();
    }

    private void Wake()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.SetResult();
    }

    private List<T> Snapshot<T>(List<T> list)
    {
        lock (_gate)
            return [.. list];
    }
}
