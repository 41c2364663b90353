using System.Net;
using System.Net.Sockets;

namespace Determinant.Client.Tests;

/// <summary>Retries for idempotent requests only, with a connection failure and 502/503/504 as the triggers.</summary>
public sealed class RetryHandlerTests
{
    private static readonly DeterminantClientOptions Fast = new() { MaxRetries = 3, InitialRetryDelay = TimeSpan.FromMilliseconds(1), MaxRetryDelay = TimeSpan.FromMilliseconds(2) };

    [Fact]
    public async Task Get_IsRetried_After503AndAConnectionFailure()
    {
        var answers = new Queue<Func<HttpResponseMessage>>([
            () => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable),
            () => throw new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException()),
            () => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"version":"1","clusterId":"c","clusterName":"n"}""") },
        ]);
        using var client = new DeterminantClient("localhost", "token", new DeterminantClientOptions
        {
            MaxRetries = Fast.MaxRetries, InitialRetryDelay = Fast.InitialRetryDelay, MaxRetryDelay = Fast.MaxRetryDelay, Handler = new Scripted(answers),
        });

        var info = await client.GetMasterInfoAsync(CancellationToken.None);

        Assert.Equal("n", info.ClusterName);
        Assert.Empty(answers);
    }

    [Fact]
    public async Task Post_IsSentOnce_On503()
    {
        var answers = new Queue<Func<HttpResponseMessage>>([
            () => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable),
            () => new HttpResponseMessage(HttpStatusCode.OK),
        ]);
        using var client = new DeterminantClient("localhost", "token", new DeterminantClientOptions { Handler = new Scripted(answers), InitialRetryDelay = TimeSpan.FromMilliseconds(1) });

        var error = await Assert.ThrowsAsync<DeterminantApiException>(() => client.LogoutAsync(CancellationToken.None));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Single(answers);
    }

    [Fact]
    public async Task Get_FailsWithoutStatus_WhenEveryTryFailsToConnect()
    {
        var calls = 0;
        var answers = new Queue<Func<HttpResponseMessage>>(Enumerable.Range(0, 10).Select(_ => (Func<HttpResponseMessage>)(() =>
        {
            calls++;
            throw new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException());
        })));
        using var client = new DeterminantClient("localhost", "token", new DeterminantClientOptions
        {
            MaxRetries = 2, InitialRetryDelay = TimeSpan.FromMilliseconds(1), Handler = new Scripted(answers),
        });

        var error = await Assert.ThrowsAsync<DeterminantApiException>(() => client.GetMeAsync(CancellationToken.None));

        Assert.Null(error.StatusCode);
        Assert.Equal(3, calls);
        Assert.Contains("cannot reach the master at http://localhost:8080", error.Message, StringComparison.Ordinal);
    }

    private sealed class Scripted(Queue<Func<HttpResponseMessage>> answers) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(answers.Dequeue()());
    }
}
