using System.Collections.Immutable;
using Determinant.Config;
using Determinant.Searchers.Sampling;

namespace Determinant.Searchers.Tests;

public sealed class SamplingTests
{
    [Fact]
    public void Sample_IsMinPlusIntnOfTheRangeSize_WhenInt()
    {
        var rng = new MersenneTwister(3);
        var reference = new MersenneTwister(3);
        for (var i = 0; i < 50; i++)
            Assert.Equal(8 + (long)reference.NextBelow(57), HyperparameterSampler.SampleOne(Hps.Int(8, 64), rng)!.GetValue<long>());
    }

    [Fact]
    public void Sample_IsBaseToAUniformExponent_WhenLog()
    {
        var rng = new MersenneTwister(3);
        var reference = new MersenneTwister(3);
        for (var i = 0; i < 50; i++)
        {
            var value = HyperparameterSampler.SampleOne(Hps.Log(-5, -1, 10), rng)!.GetValue<double>();
            Assert.Equal(Math.Pow(10, reference.Uniform(-5, -1)), value);
            Assert.InRange(value, 1e-5, 1e-1);
        }
    }

    [Fact]
    public void Sample_IsUniformInHalfOpenRangeAndIndexesCategoricals_WhenDoubleOrCategorical()
    {
        var rng = new MersenneTwister(8);
        var reference = new MersenneTwister(8);
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(reference.Uniform(0.1, 0.5), HyperparameterSampler.SampleOne(Hps.Double(0.1, 0.5), rng)!.GetValue<double>());
            string[] vals = ["a", "b", "c"];
            Assert.Equal(vals[reference.NextBelow(3)], HyperparameterSampler.SampleOne(Hps.Categorical("a", "b", "c"), rng)!.GetValue<string>());
        }
    }

    [Fact]
    public void Sample_DrawsNothing_WhenConst()
    {
        var rng = new MersenneTwister(8);
        Assert.Equal(5, HyperparameterSampler.SampleOne(Hps.Const(5), rng)!.GetValue<int>());
        Assert.Null(HyperparameterSampler.SampleOne(Hps.Const(null), rng));
        Assert.Equal(new MersenneTwister(8).NextUInt32(), rng.NextUInt32());
    }

    [Fact]
    public void Create_SortsNamesOrdinally_WhenTheMapUsesAnotherComparer()
    {
        var ignoreCase = new[] { ("b", (Hyperparameter)Hps.Int(0, 9)), ("A", Hps.Int(0, 9)), ("a_", Hps.Double(0, 1)) }
            .ToImmutableSortedDictionary(e => e.Item1, e => e.Item2, StringComparer.OrdinalIgnoreCase);
        var ordinal = ignoreCase.WithComparers(StringComparer.Ordinal);
        var a = Searcher.Create(Configs.Single(), ignoreCase, 4).InitialOperations().OfType<CreateTrial>().Single();
        var b = Searcher.Create(Configs.Single(), ordinal, 4).InitialOperations().OfType<CreateTrial>().Single();
        Assert.Equal(["A", "a_", "b"], a.Hparams.Select(p => p.Key));
        Assert.Equal(b, a);
    }

    [Fact]
    public void CreateTrial_ComparesHyperparametersByValue_WhenEqualJson()
    {
        var id = new RequestId(Guid.NewGuid());
        var a = new CreateTrial(id, new System.Text.Json.Nodes.JsonObject { ["x"] = 1 }, 5);
        var b = new CreateTrial(id, System.Text.Json.Nodes.JsonNode.Parse("{\"x\":1}")!.AsObject(), 5);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, b with { ParentRequestId = id });
    }
}
