using Determinant.Testing;

namespace Determinant.Cli.Tests;

/// <summary><c>det agent credential create|revoke</c> against the real master.</summary>
[Collection(SharedMaster.Name)]
public sealed class AgentCredentialCommandTests(TestMaster master) : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("det-cli-home-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public async Task CreateWithOutput_WritesTheCredentialOwnerOnly_AndRevokeEndsIt()
    {
        var det = new Det(master.Url, _home);
        await det.RunWithInputAsync($"{TestMaster.AdminPassword}\n", "user", "login", "admin");
        var agentId = "cli-agent-" + Guid.NewGuid().ToString("N")[..8];
        var file = Path.Combine(_home, "credential");

        var created = await det.RunAsync("agent", "credential", "create", agentId, "-o", file);
        var revoked = await det.RunAsync("agent", "credential", "revoke", agentId);
        var again = await det.RunAsync("agent", "credential", "revoke", agentId);

        Assert.True(created.ExitCode == 0, created.Error);
        Assert.Contains($"--agent-id {agentId} --token-file {file}", created.Output, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(43, (await File.ReadAllTextAsync(file)).TrimEnd('\n').Length);
        Assert.Equal($"Revoked the credential of agent '{agentId}'\n", revoked.Output);
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains($"agent '{agentId}' has no credential", again.Error, StringComparison.Ordinal);
    }
}
