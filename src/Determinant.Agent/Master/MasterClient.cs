using System.Net;
using System.Net.Http.Json;
using Determinant.Agent.Hosting;
using Determinant.Protocol.Agent;
using Determinant.Protocol.CoreApi;
using Microsoft.Extensions.Options;

namespace Determinant.Agent.Master;

/// <summary>The agent's side of docs/agent-protocol.md: every request carries the agent token; the agent opens every connection.</summary>
internal sealed class MasterClient : IDisposable
{
    /// <summary>Limit of a request that is not a long poll.</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;

    public MasterClient(IOptions<AgentOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5), PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60) };
        _http = new HttpClient(handler) { BaseAddress = new Uri(settings.Master.TrimEnd('/') + "/"), Timeout = Timeout.InfiniteTimeSpan };
        var token = string.IsNullOrEmpty(settings.AgentToken) ? File.ReadAllText(settings.TokenFile!).Trim() : settings.AgentToken;
        _http.DefaultRequestHeaders.Add(AgentHeaders.Token, token);
        BaseAddress = _http.BaseAddress;
    }

    public Uri BaseAddress { get; }

    public async Task<RegisterAgentResponse> RegisterAsync(RegisterAgentRequest request, CancellationToken cancellationToken)
    {
        using var timeout = Limit(RequestTimeout, cancellationToken);
        using var response = await _http.PostAsJsonAsync(AgentRoutes.Register, request, AgentJsonContext.Default.RegisterAgentRequest, timeout.Token)
            .ConfigureAwait(false);
        await EnsureSuccessAsync(response, timeout.Token).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync(AgentJsonContext.Default.RegisterAgentResponse, timeout.Token).ConfigureAwait(false)
            ?? throw new HttpRequestException("the master answered the registration with an empty body");
    }

    /// <summary>Waits up to <paramref name="timeoutSeconds"/> for commands after <paramref name="after"/>; 404 means the master forgot this agent.</summary>
    public async Task<AgentCommandsResponse> PollCommandsAsync(string agentId, long after, int timeoutSeconds, CancellationToken cancellationToken)
    {
        using var timeout = Limit(TimeSpan.FromSeconds(timeoutSeconds + 10), cancellationToken);
        using var response = await _http.GetAsync(AgentRoutes.Commands(agentId, after, timeoutSeconds), timeout.Token).ConfigureAwait(false);
        await EnsureSuccessAsync(response, timeout.Token).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync(AgentJsonContext.Default.AgentCommandsResponse, timeout.Token).ConfigureAwait(false)
            ?? new AgentCommandsResponse([]);
    }

    public async Task PostEventAsync(string agentId, string allocationId, AllocationEvent allocationEvent, CancellationToken cancellationToken)
    {
        using var timeout = Limit(RequestTimeout, cancellationToken);
        using var response = await _http.PostAsJsonAsync(
            AgentRoutes.Events(agentId, allocationId), allocationEvent, AgentJsonContext.Default.AllocationEvent, timeout.Token).ConfigureAwait(false);
        await EnsureSuccessAsync(response, timeout.Token).ConfigureAwait(false);
    }

    public async Task PostLogsAsync(IReadOnlyList<TaskLog> logs, CancellationToken cancellationToken)
    {
        using var timeout = Limit(RequestTimeout, cancellationToken);
        using var response = await _http.PostAsJsonAsync(
            AgentRoutes.TaskLogs, new PostTaskLogsRequest(logs), CoreApiJsonContext.Default.PostTaskLogsRequest, timeout.Token).ConfigureAwait(false);
        await EnsureSuccessAsync(response, timeout.Token).ConfigureAwait(false);
    }

    /// <summary>Opens a model definition archive; <paramref name="url"/> is a path on the master or an absolute URL.</summary>
    public async Task<HttpResponseMessage> GetModelDefinitionAsync(string url, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_http.BaseAddress!, url.TrimStart('/')));
        request.Headers.Accept.ParseAdd("application/gzip");
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public void Dispose() => _http.Dispose();

    private static CancellationTokenSource Limit(TimeSpan limit, CancellationToken cancellationToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        source.CancelAfter(limit);
        return source;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
            return;
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var detail = body.Length > 500 ? body[..500] : body;
        throw new HttpRequestException(
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath} answered {(int)response.StatusCode} {detail}",
            null, response.StatusCode);
    }

    /// <summary>Worth retrying: no answer, a timeout, a server error, or a refusal that an operator or a restart can fix.</summary>
    public static bool IsTransient(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        HttpRequestException { StatusCode: null } => true,
        HttpRequestException { StatusCode: var code } => (int)code! >= 500 || code is HttpStatusCode.RequestTimeout
            or HttpStatusCode.TooManyRequests or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.Conflict,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        IOException => true,
        _ => false,
    };
}
