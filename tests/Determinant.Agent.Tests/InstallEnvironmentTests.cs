using Determinant.Agent.Hosting;
using Determinant.Agent.Tasks;
using Determinant.Agent.Tests.Support;

namespace Determinant.Agent.Tests;

/// <summary>What the agent's install hands every task: the SDK folder (<c>DET_SDK_DIR</c>) and the C# kernel's spec (<c>JUPYTER_PATH</c>).</summary>
public sealed class InstallEnvironmentTests
{
    [Fact]
    public void TaskEnvironment_HasTheSdkAndJupyterPath_AndTheLaunchMayOverrideThem()
    {
        var options = new AgentOptions { SdkDir = "/opt/det/sdk/", JupyterPath = "/opt/det/jupyter:/srv/kernels" };
        var launch = AgentUnderTest.Shell("1.a.1", "", new Dictionary<string, string> { ["JUPYTER_PATH"] = "/mine" });

        var env = TaskEnvironment.Build(new TaskContext(launch, "agent", "c", "/w", new Uri("http://127.0.0.1:8080"), [], [],
            InstallEnv: options.InstallEnvironment()));

        Assert.Equal("/opt/det/sdk", env["DET_SDK_DIR"]);
        Assert.Equal("/mine", env["JUPYTER_PATH"]);
        Assert.Equal("/opt/det/jupyter:/srv/kernels", options.InstallEnvironment()["JUPYTER_PATH"]);
        Assert.Empty(new AgentOptions().InstallEnvironment());
    }

    [Fact]
    public void OptionsValidator_NamesTheKey_WhenTheSdkDirOrAJupyterPathEntryIsMissing()
    {
        var existing = Directory.CreateTempSubdirectory("det-agent-install-").FullName;
        try
        {
            var options = new AgentOptions { AgentToken = "t", SdkDir = Path.Combine(existing, "none"), JupyterPath = existing + ":/nonexistent/kernels" };

            var result = new AgentOptionsValidator().Validate(null, options);

            Assert.Equal([$"sdk_dir: '{Path.Combine(existing, "none")}' is not a directory", "jupyter_path: '/nonexistent/kernels' is not a directory"],
                result.Failures);
            Assert.False(new AgentOptionsValidator().Validate(null, new AgentOptions { AgentToken = "t", SdkDir = existing, JupyterPath = existing }).Failed);
        }
        finally
        {
            Directory.Delete(existing);
        }
    }

    [Fact]
    public async Task Launch_SeesTheSdkDir_WhenTheAgentIsGivenOne()
    {
        var sdk = Directory.CreateTempSubdirectory("det-agent-sdk-").FullName;
        try
        {
            await using var master = await FakeMaster.StartAsync();
            await using var agent = await AgentUnderTest.StartAsync(master, new Dictionary<string, string?> { ["sdk_dir"] = sdk, ["jupyter_path"] = sdk });
            var allocation = AgentUnderTest.NewAllocationId();

            master.Enqueue(AgentUnderTest.Shell(allocation, "echo \"sdk=$DET_SDK_DIR jupyter=$JUPYTER_PATH\""));
            await master.ExitedAsync(allocation);

            Assert.Contains($"sdk={sdk} jupyter={sdk}\n", master.LogsOf(allocation).Select(l => l.Log));
        }
        finally
        {
            Directory.Delete(sdk);
        }
    }
}
