using System.Text.Json;
using Determinant.Agent.Hosting;
using Determinant.Agent.Slots;
using Determinant.Protocol.Agent;

namespace Determinant.Agent.Tests;

public sealed class UnitTests
{
    [Fact]
    public void TaskPrograms_FindTheConfiguredTensorBoard_AndNothingWhereTheConfiguredPathIsMissing()
    {
        var file = Path.GetTempFileName();
        try
        {
            Assert.Equal(file, Tasks.TaskPrograms.Find(new AgentOptions { TensorBoardPath = file })["tensorboard"]);
            Assert.Empty(Tasks.TaskPrograms.Find(new AgentOptions { TensorBoardPath = file + ".missing" }));
            Assert.Equal("DET_TENSORBOARD_PATH", Tasks.TaskPrograms.Variable("tensorboard"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void NvidiaSmiParser_ReadsIndexAndName_WhenTwoGpusAreListed()
    {
        var slots = NvidiaSmiParser.Parse("0, NVIDIA H100 80GB HBM3\n1, NVIDIA H100 80GB HBM3\n");

        Assert.Equal([new AgentSlot(0, "cuda", "NVIDIA H100 80GB HBM3"), new AgentSlot(1, "cuda", "NVIDIA H100 80GB HBM3")], slots);
    }

    [Fact]
    public void NvidiaSmiParser_Throws_WhenALineHasNoIndex()
    {
        Assert.Throws<FormatException>(() => NvidiaSmiParser.Parse("No devices were found"));
    }

    [Fact]
    public void AgentJson_UsesCamelCaseAndLeavesNullsOut_ForACommandPoll()
    {
        var response = new AgentCommandsResponse([
            new AgentCommand(1, Launch: new LaunchCommand("1.abc.1", "1.abc", "TRIAL", [0, 1], ["python3", "train.py"],
                new Dictionary<string, string> { ["DET_TRIAL_ID"] = "3" }, new ModelDefinitionSource(Url: "/m"), RankId: 0)),
            new AgentCommand(2, Kill: new KillCommand("1.abc.1", Graceful: false)),
        ]);

        var json = JsonSerializer.Serialize(response, AgentJsonContext.Default.AgentCommandsResponse);

        Assert.Equal(
            """{"commands":[{"seq":1,"launch":{"allocationId":"1.abc.1","taskId":"1.abc","taskType":"TRIAL","slotIds":[0,1],"argv":["python3","train.py"],"env":{"DET_TRIAL_ID":"3"},"modelDefinition":{"url":"/m"},"rankId":0}},{"seq":2,"kill":{"allocationId":"1.abc.1","graceful":false}}]}""",
            json);
    }

    [Fact]
    public void OptionsValidator_NamesTheKey_WhenNoTokenIsConfigured()
    {
        var result = new AgentOptionsValidator().Validate(null, new AgentOptions { Master = "localhost:8080" });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("agent_token:", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("master: 'localhost:8080'", StringComparison.Ordinal));
    }
}
