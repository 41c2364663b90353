using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Determinant.Client;

/// <summary>Sends requests to one master with one bearer token and turns every failure into a <see cref="DeterminantApiException"/>.</summary>
internal sealed class ApiConnection : IDisposable
{
    private readonly HttpClient _http;

    public ApiConnection(string master, string? token, DeterminantClientOptions options)
    {
        Master = MasterUrl.Canonicalize(master);
        var inner = options.Handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        _http = new HttpClient(new RetryHandler(options, inner), disposeHandler: options.Handler is null)
        {
            BaseAddress = new Uri(Master + "/"),
            Timeout = Timeout.InfiniteTimeSpan,
        };
        if (token is not null)
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Options = options;
    }

    public string Master { get; }

    public DeterminantClientOptions Options { get; }

    public async Task<T> GetAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, path), cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, type, cancellationToken).ConfigureAwait(false);
    }

    public async Task<TResponse> PostAsync<TRequest, TResponse>(
        string path, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken,
        IProgress<double>? uploadProgress = null)
    {
        HttpContent content = uploadProgress is null
            ? JsonContent.Create(body, requestType)
            : new ProgressContent(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(body, requestType), "application/json", uploadProgress);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, responseType, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Posts without a body (an action) and reads its JSON answer.</summary>
    public async Task<TResponse> PostAsync<TResponse>(string path, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Post, path), cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, responseType, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a request with a JSON body (PATCH, PUT) and reads its JSON answer.</summary>
    public async Task<TResponse> SendAsync<TRequest, TResponse>(
        HttpMethod method, string path, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType,
        CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body, requestType) };
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, responseType, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a request whose answer carries nothing the caller needs.</summary>
    public async Task SendAsync<TRequest>(HttpMethod method, string path, TRequest? body, JsonTypeInfo<TRequest> requestType, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = JsonContent.Create(body, requestType);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a request with no body and no wanted answer (actions, DELETE).</summary>
    public async Task SendAsync(HttpMethod method, string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(new HttpRequestMessage(method, path), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens a streamed answer (NDJSON logs); the caller disposes it. Not limited by the request timeout.</summary>
    public Task<HttpResponseMessage> OpenStreamAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, path), cancellationToken, stream: true);

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken, bool stream = false)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (!stream)
            timeout.CancelAfter(Options.RequestTimeout);
        HttpResponseMessage response;
        try
        {
            using (request)
            {
                response = await _http.SendAsync(request, stream ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead,
                    stream ? cancellationToken : timeout.Token).ConfigureAwait(false);
            }
        }
        catch (HttpRequestException e)
        {
            throw new DeterminantApiException($"cannot reach the master at {Master}: {e.Message}", null, null, e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DeterminantApiException($"the master at {Master} did not answer within {Options.RequestTimeout.TotalSeconds:0} s", null, null, e);
        }
        if (response.IsSuccessStatusCode)
            return response;
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var problem = ApiProblem.Parse(body);
            throw new DeterminantApiException(Describe(response.StatusCode, problem), response.StatusCode, problem);
        }
    }

    private static string Describe(HttpStatusCode status, ApiProblem problem) =>
        problem.Detail ?? problem.Title ?? $"the master answered {(int)status} {status}";

    private async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(type, cancellationToken).ConfigureAwait(false)
                ?? throw new DeterminantApiException($"the master at {Master} answered {response.RequestMessage?.RequestUri?.AbsolutePath} with null");
        }
        catch (JsonException e)
        {
            throw new DeterminantApiException($"the master at {Master} answered with JSON this client does not understand: {e.Message}", response.StatusCode, null, e);
        }
    }

    public void Dispose() => _http.Dispose();
}
