using System.Net;
using Determinant.Cli.Deploy;

namespace Determinant.Cli.Tests;

/// <summary><c>cluster-up</c>'s master listens on 127.0.0.1 unless <c>--listen</c> names another address; no master needed.</summary>
public sealed class ClusterUpListenTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("det-cli-listen-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    private List<string> MasterArguments(IPAddress listen)
    {
        var settings = new LocalClusterSettings(new LocalClusterLayout(_dataDir), 8123, 1, null, "sqlite", null, TimeSpan.FromSeconds(1), listen);
        return new LocalCluster(settings, new CliContext { Output = TextWriter.Null, Error = TextWriter.Null }).MasterArguments("master.dll");
    }

    private static string ValueAfter(List<string> args, string flag) => args[args.IndexOf(flag) + 1];

    [Fact]
    public void Listen_Is127001_WhenNotGiven()
    {
        var root = CliApp.Build(new CliContext { Output = TextWriter.Null, Error = TextWriter.Null });

        var parsed = root.Parse(["deploy", "local", "cluster-up"]);

        Assert.Empty(parsed.Errors);
        Assert.Equal("127.0.0.1", parsed.GetValue<string>("--listen"));
    }

    [Theory]
    [InlineData("127.0.0.1", "http://127.0.0.1:8123", "http://localhost:8123")]
    [InlineData("0.0.0.0", "http://127.0.0.1:8123", "http://localhost:8123")]
    [InlineData("::", "http://127.0.0.1:8123", "http://localhost:8123")]
    [InlineData("192.0.2.10", "http://192.0.2.10:8123", "http://192.0.2.10:8123")]
    [InlineData("::1", "http://[::1]:8123", "http://[::1]:8123")]
    public void Master_ListensWhereToldAndTheAgentReachesIt_ThereOrOnLoopback(string listen, string agentUrl, string userUrl)
    {
        var address = IPAddress.Parse(listen);
        var settings = new LocalClusterSettings(new LocalClusterLayout(_dataDir), 8123, 1, null, "sqlite", null, TimeSpan.FromSeconds(1), address);

        var args = MasterArguments(address);

        Assert.Equal(listen, ValueAfter(args, "--listen-address"));
        Assert.Equal(agentUrl, ValueAfter(args, "--master-url"));
        Assert.Equal(agentUrl, settings.MasterUrlForAgent);
        Assert.Equal(userUrl, settings.MasterUrlForUsers);
    }

    [Fact]
    public void ClusterUp_FailsWithUsage_WhenListenIsNoIpAddress()
    {
        var run = CliRun.Of("deploy", "local", "cluster-up", "--data-dir", _dataDir, "--listen", "everywhere");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--listen 'everywhere' must be an IP address", run.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_dataDir));
    }
}
