using System.Text.Json.Nodes;
using Determinant.Config;
using Determinant.Searchers.Sampling;

namespace Determinant.Searchers.Tests;

public sealed class GridAxisTests
{
    public static TheoryData<long, long, int, long[]> IntAxes => new()
    {
        { 1, 10, 4, [1, 4, 7, 10] },
        { 8, 64, 3, [8, 36, 64] },
        { 0, 10, 4, [0, 3, 7, 10] },
        { 1, 3, 5, [1, 2, 3] },
        { 1, 4, 1, [3] },
        { -3, 0, 1, [-2] },
    };

    [Theory]
    [MemberData(nameof(IntAxes))]
    public void IntAxis_RoundsHalfAwayFromZeroAndClampsCount_WhenGridded(long min, long max, int count, long[] expected)
    {
        var values = GridAxis.ValuesOf(new IntHyperparameter(min, max, count), "n");
        Assert.Equal(expected, values.Select(v => v!.GetValue<long>()));
    }

    public static TheoryData<double, double, int, double[]> DoubleAxes => new()
    {
        { 0.2, 0.8, 3, [0.2, 0.5, 0.8] },
        { 0, 1, 5, [0, 0.25, 0.5, 0.75, 1] },
    };

    [Theory]
    [MemberData(nameof(DoubleAxes))]
    public void DoubleAxis_SpacesEvenlyIncludingEnds_WhenGridded(double min, double max, int count, double[] expected)
    {
        var values = GridAxis.ValuesOf(new DoubleHyperparameter(min, max, count), "x").Select(v => v!.GetValue<double>()).ToArray();
        Assert.Equal(expected.Length, values.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], values[i], 1e-12);
    }

    public static TheoryData<double, double, double, int, double[]> LogAxes => new()
    {
        { -5, -1, 10, 3, [1e-5, 1e-3, 1e-1] },
        { -5, -1, 10, 1, [1e-3] },
        { 0, 3, 2, 4, [1, 2, 4, 8] },
    };

    [Theory]
    [MemberData(nameof(LogAxes))]
    public void LogAxis_SpacesExponentsEvenly_WhenGridded(double min, double max, double @base, int count, double[] expected)
    {
        var values = GridAxis.ValuesOf(new LogHyperparameter(min, max, @base, count), "lr").Select(v => v!.GetValue<double>()).ToArray();
        Assert.Equal(expected.Length, values.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], values[i], expected[i] * 1e-12);
    }

    [Fact]
    public void IntAxis_GivesThree_WhenOneToFourWithCountOneWhereBankersRoundingGivesTwo()
    {
        Assert.Equal(2, Math.Round(2.5));
        Assert.Equal(3, GridAxis.ValuesOf(Hps.Int(1, 4, 1), "n")[0]!.GetValue<long>());
    }

    [Fact]
    public void Grid_Throws_WhenANumericHyperparameterHasNoCount()
    {
        var space = Hps.Of(("dict_hp", Hps.Nested(("lr", Hps.Double(0.1, 1)))));
        var error = Assert.Throws<ArgumentException>(() => HyperparameterGrid.Build(space));
        Assert.Contains("dict_hp.lr", error.Message, StringComparison.Ordinal);
        Assert.Contains("count", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Grid_VariesTheFirstAxisSlowest_WhenTwoAxes()
    {
        var grid = HyperparameterGrid.Build(Hps.Of(("a", Hps.Double(0, 1, 2)), ("b", Hps.Categorical("x", "y"))));
        var points = Enumerable.Range(0, grid.Count).Select(i => grid.PointAt(i).ToJsonString()).ToArray();
        Assert.Equal(["{\"a\":0,\"b\":\"x\"}", "{\"a\":0,\"b\":\"y\"}", "{\"a\":1,\"b\":\"x\"}", "{\"a\":1,\"b\":\"y\"}"], points);
    }

    [Fact]
    public void Grid_HasTwelvePoints_WhenTheV4Example()
    {
        var space = Hps.Of(
            ("global_batch_size", Hps.Const(64)),
            ("optimizer", Hps.Nested(("name", Hps.Categorical("sgd", "adam")), ("lr", Hps.Double(0.2, 0.8, 3)))),
            ("layers", Hps.Int(1, 4, 2)));
        var grid = HyperparameterGrid.Build(space);
        Assert.Equal(12, grid.Count);
        // Axes: global_batch_size, layers, optimizer.lr, optimizer.name; the last point takes every last value.
        Assert.Equal("{\"global_batch_size\":64,\"layers\":4,\"optimizer\":{\"lr\":0.8,\"name\":\"adam\"}}", grid.PointAt(11).ToJsonString());
        Assert.Equal(["global_batch_size", "layers", "optimizer.lr", "optimizer.name"], grid.Axes.Select(a => string.Join('.', a.Path)));
    }

    [Fact]
    public void Grid_KeepsAnEmptyNestedDictionary_AsOneValue()
    {
        var grid = HyperparameterGrid.Build(Hps.Of(("a", Hps.Nested()), ("b", Hps.Categorical(1, 2))));
        Assert.Equal(2, grid.Count);
        Assert.Equal("{\"a\":{},\"b\":2}", grid.PointAt(1).ToJsonString());
    }

    [Fact]
    public void Grid_IsEmpty_WhenThereAreNoHyperparameters()
    {
        Assert.Equal(0, HyperparameterGrid.Build(Hps.Empty).Count);
        var values = GridAxis.ValuesOf(Hps.Const(new JsonArray(1, 2)), "list");
        Assert.Single(values);
    }
}
