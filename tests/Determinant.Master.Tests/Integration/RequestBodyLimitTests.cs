using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Determinant.Master.Tests.Integration;

/// <summary>Every API route has a body limit; a body declared over it gets a 413 naming the limit before any of it is read.</summary>
public sealed class RequestBodyLimitTests
{
    private const long NineHundredMiB = 900L << 20;

    /// <summary>
    /// Sends only the head of a request that declares <paramref name="contentLength"/> bytes (and the first byte of the
    /// body), then reads the answer: an answer at all proves the master did not wait for the rest.
    /// </summary>
    private static async Task<(int Status, JsonObject Problem)> DeclareBodyAsync(Uri master, string path, long contentLength, string? bearer = null)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(master.Host, master.Port);
        var stream = tcp.GetStream();
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"POST {path} HTTP/1.1\r\nHost: {master.Authority}\r\nContent-Type: application/json\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Length: {contentLength}\r\n");
        if (bearer is not null)
            head.Append(CultureInfo.InvariantCulture, $"Authorization: Bearer {bearer}\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.Append("\r\n{").ToString()));

        // The master closes the connection after its answer (the body it did not read is not wanted), so read to the end.
        using var reader = new StreamReader(stream, Encoding.UTF8);
        // A master that waited for the declared body would never answer; the deadline turns that into a failure.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var answer = await reader.ReadToEndAsync(deadline.Token);
        var split = answer.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var headers = answer[..split].Split("\r\n");
        var body = answer[(split + 4)..];
        if (headers.Contains("Transfer-Encoding: chunked", StringComparer.OrdinalIgnoreCase))
            body = Unchunk(body);
        return (int.Parse(headers[0].Split(' ')[1], CultureInfo.InvariantCulture), JsonNode.Parse(body)!.AsObject());
    }

    private static string Unchunk(string chunked)
    {
        var text = new StringBuilder();
        var at = 0;
        while (true)
        {
            var end = chunked.IndexOf("\r\n", at, StringComparison.Ordinal);
            var size = int.Parse(chunked[at..end], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
                return text.ToString();
            text.Append(chunked, end + 2, size);
            at = end + 2 + size + 2;
        }
    }

    private static async Task AssertHealthyAsync(MasterHost host) =>
        Assert.Equal("ok", (string)(await host.Client.GetJsonAsync("/health"))["status"]!);

    [Fact]
    public async Task Login_Answers413NamingTheLimit_ForA900MiBBodyItNeverReads()
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);

        var (status, problem) = await DeclareBodyAsync(host.Client.BaseAddress!, "/api/v1/auth/login", NineHundredMiB);

        Assert.Equal(413, status);
        Assert.Equal(413, (int)problem["status"]!);
        var detail = (string)problem["detail"]!;
        Assert.Contains($"is {NineHundredMiB} bytes", detail, StringComparison.Ordinal);
        Assert.Contains("over the limit of 65536 bytes", detail, StringComparison.Ordinal);
        Assert.Equal("RequestBodyLimit.Small", (string)problem["limit"]!);
        await AssertHealthyAsync(host);
        await host.LoginAsync();
    }

    [Fact]
    public async Task Login_Answers413WithoutTheBodyBeingSent_WhenTheClientAsksToContinue()
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);
        using var handler = new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromMinutes(1) };
        using var client = new HttpClient(handler) { BaseAddress = host.Client.BaseAddress };
        var content = new NeverSentContent(NineHundredMiB);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login") { Content = content };
        request.Headers.ExpectContinue = true;

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, content.BytesWritten);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        await AssertHealthyAsync(host);
    }

    [Fact]
    public async Task Login_Answers413NamingTheLimit_WhenABodyWithoutALengthRunsOverIt()
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);
        // Chunked: the length is unknown up front, so Kestrel stops reading at the route's limit.
        var password = new string('x', 128 * 1024);
        var body = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes($$"""{"username": "admin", "password": "{{password}}"}""")));
        body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login") { Content = body };
        request.Headers.TransferEncodingChunked = true;

        using var response = await host.Client.SendAsync(request);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{(int)response.StatusCode} {text}");
        Assert.True(text.Contains("over the limit of 65536 bytes", StringComparison.Ordinal), text);
        await AssertHealthyAsync(host);
    }

    [Fact]
    public async Task CreateExperiment_Answers413NamingTheModelDefinitionLimit_OverItsHeadroom_AndCreatesNothing()
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite, "--model-definition-limit-mib", "1");
        var admin = await host.LoginAsync();
        var token = admin.DefaultRequestHeaders.Authorization!.Parameter;
        // 1 MiB as base64 (4/3 MiB) plus 16 MiB of headroom.
        var limit = ((1L << 20) * 4 / 3) + (16L << 20);

        var (status, problem) = await DeclareBodyAsync(host.Client.BaseAddress!, "/api/v1/experiments", limit + 1, token);

        Assert.Equal(413, status);
        Assert.Contains($"over the limit of {limit} bytes", (string)problem["detail"]!, StringComparison.Ordinal);
        Assert.StartsWith("model_definition_limit_mib", (string)problem["limit"]!, StringComparison.Ordinal);
        Assert.Equal(0, await admin.ExperimentCountAsync());
        await AssertHealthyAsync(host);
    }

    [Fact]
    public async Task CreateExperiment_AcceptsAModelDefinitionOfExactlyItsLimit_WithinTheBodyLimit()
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite, "--model-definition-limit-mib", "1");
        var admin = await host.LoginAsync();
        var files = new[] { new { path = "data.bin", type = 48, content = Convert.ToBase64String(new byte[1 << 20]), mode = 420 } };

        var validated = await admin.PostOkAsync("/api/v1/experiments", new { config = Api.SingleConfig, modelDefinition = files, validateOnly = true });

        Assert.NotNull(validated["config"]);
    }

    [Theory]
    [InlineData("/api/v1/trials/1/metrics", 64L << 20, "RequestBodyLimit.Reports")]
    [InlineData("/api/v1/task/logs", 64L << 20, "RequestBodyLimit.Reports")]
    [InlineData("/api/v1/checkpoints", 16L << 20, "RequestBodyLimit.Default")]
    [InlineData("/api/v1/trials/1/metrics/batch", 64L << 20, "RequestBodyLimit.Reports")]
    [InlineData("/api/v1/users", 64L << 10, "RequestBodyLimit.Small")]
    [InlineData("/api/v1/auth/web-login", 64L << 10, "RequestBodyLimit.Small")]
    [InlineData("/api/v1/notebooks", ((1L << 20) * 95 * 4 / 3) + (16L << 20), "model_definition_limit_mib (95 MiB of files as base64, plus 16 MiB)")]
    public async Task Route_Answers413NamingItsLimit_OneByteOverIt(string path, long limit, string setting)
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);
        var token = (await host.LoginAsync()).DefaultRequestHeaders.Authorization!.Parameter;

        var (status, problem) = await DeclareBodyAsync(host.Client.BaseAddress!, path, limit + 1, token);

        Assert.Equal(413, status);
        Assert.Equal(setting, (string)problem["limit"]!);
        Assert.Equal(limit, (long)problem["limitBytes"]!);
    }

    /// <summary>A body of a declared length that counts what the handler asked it to write.</summary>
    private sealed class NeverSentContent(long length) : HttpContent
    {
        public long BytesWritten { get; private set; }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var chunk = new byte[64 * 1024];
            for (var left = length; left > 0; left -= chunk.Length)
            {
                var size = (int)Math.Min(chunk.Length, left);
                await stream.WriteAsync(chunk.AsMemory(0, size));
                BytesWritten += size;
            }
        }

        protected override bool TryComputeLength(out long length1)
        {
            length1 = length;
            return true;
        }
    }
}
