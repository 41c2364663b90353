using System.Net;
using System.Net.Http.Json;
using Determinant.Master.Tests.EndToEnd;
using Determinant.Master.Tests.Integration;

namespace Determinant.HostileTenant.Tests;

/// <summary>
/// Guessing passwords: the master answers 429 with Retry-After long before 500 guesses, for a real account and an
/// unknown one alike. On a master of its own, since the flood also slows this machine's address for everyone else.
/// </summary>
public sealed class LoginFloodTests
{
    [Theory]
    [InlineData("admin")]
    [InlineData("nobody-here")]
    public async Task WrongPasswords_Get429WithRetryAfter_LongBefore500Guesses(string username)
    {
        var (_, harness) = await ClusterBinaries.GetAsync();
        var dataDir = Directory.CreateTempSubdirectory("det-flood-").FullName;
        await using var master = await MasterProcess.StartAsync(await ClusterBinaries.GetMasterAsync(), dataDir, MasterProcess.FreePort(), harness);
        using var client = new HttpClient { BaseAddress = master.Address, Timeout = TimeSpan.FromSeconds(60) };

        HttpResponseMessage? refused = null;
        var guesses = 0;
        while (refused is null && guesses < 500)
        {
            var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { username, password = $"guess-{guesses++}" });
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                refused = response;
            else
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.NotNull(refused);
        Assert.True(guesses < 100, $"429 came only after {guesses} guesses");
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, refused.Headers.ToString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.False(master.HasExited);
    }
}
