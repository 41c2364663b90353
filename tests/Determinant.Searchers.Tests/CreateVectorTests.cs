using System.Text.Json.Nodes;

namespace Determinant.Searchers.Tests;

public sealed class CreateVectorTests
{
    private static List<CreateTrial> FirstTwo()
    {
        var searcher = Searcher.Create(Configs.Random(maxTrials: 2, maxConcurrent: 2), Hps.CreateVector, experimentSeed: 42);
        return searcher.InitialOperations().OfType<CreateTrial>().ToList();
    }

    [Fact]
    public void Create_MatchesTheReferenceVector_WhenSeed42FirstTrial()
    {
        var trial = FirstTwo()[0];
        Assert.Equal(RequestId.Parse("6af463bb-47d4-49c7-bcae-4199142ccb98"), trial.RequestId);
        Assert.Equal(670094950u, trial.TrialSeed);
        Assert.Equal(32, trial.Hparams["global_batch_size"]!.GetValue<int>());
        Assert.Equal(7, trial.Hparams["layers"]!.GetValue<long>());
        Assert.Equal(Math.Pow(10, -1.6103710394193014), trial.Hparams["lr"]!.GetValue<double>());
        Assert.Equal(0.0245261263, trial.Hparams["lr"]!.GetValue<double>(), 1e-10);
        Assert.Equal("sgd", trial.Hparams["opt"]!.GetValue<string>());
        Assert.Null(trial.ParentRequestId);
    }

    [Fact]
    public void Create_MatchesTheReferenceVector_WhenSeed42SecondTrial()
    {
        var trial = FirstTwo()[1];
        Assert.Equal(RequestId.Parse("ca559175-57b8-4ddd-b4ed-6d5563ace299"), trial.RequestId);
        Assert.Equal(613608295u, trial.TrialSeed);
        Assert.Equal(2, trial.Hparams["layers"]!.GetValue<long>());
        Assert.Equal(Math.Pow(10, -3.532016438991392), trial.Hparams["lr"]!.GetValue<double>());
        Assert.Equal("sgd", trial.Hparams["opt"]!.GetValue<string>());
    }

    [Fact]
    public void Create_WritesHparamsInSortedOrder_WhenNested()
    {
        var space = Hps.Of(
            ("z", Hps.Int(1, 3)),
            ("opt", Hps.Nested(("name", Hps.Categorical("a", "b")), ("lr", Hps.Double(0, 1)), ("empty", Hps.Nested()))),
            ("a", Hps.Const(null)),
            ("list", Hps.Const(new JsonArray(64, 32))));
        var create = Searcher.Create(Configs.Single(), space, 1).InitialOperations().OfType<CreateTrial>().Single();
        Assert.Equal(["a", "list", "opt", "z"], create.Hparams.Select(p => p.Key));
        var opt = Assert.IsType<JsonObject>(create.Hparams["opt"]);
        Assert.Equal(["empty", "lr", "name"], opt.Select(p => p.Key));
        Assert.Empty(Assert.IsType<JsonObject>(opt["empty"]));
        Assert.Null(create.Hparams["a"]);
        Assert.Equal("[64,32]", create.Hparams["list"]!.ToJsonString());
    }

    [Fact]
    public void Create_DrawsNestedChildrenLikeTopLevelOnes_WhenTheSameDistributions()
    {
        // Sorted order means {a: {x, y}} draws exactly as {x, y} would.
        var flat = Hps.Of(("x", Hps.Int(0, 100)), ("y", Hps.Double(0, 1)));
        var nested = Hps.Of(("a", Hps.Nested(("x", Hps.Int(0, 100)), ("y", Hps.Double(0, 1)))));
        var f = Searcher.Create(Configs.Single(), flat, 9).InitialOperations().OfType<CreateTrial>().Single();
        var n = Searcher.Create(Configs.Single(), nested, 9).InitialOperations().OfType<CreateTrial>().Single();
        Assert.True(JsonNode.DeepEquals(f.Hparams, n.Hparams["a"]));
        Assert.Equal(f.RequestId, n.RequestId);
    }
}
