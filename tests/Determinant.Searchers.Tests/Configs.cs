using System.Collections.Immutable;
using Determinant.Config;

namespace Determinant.Searchers.Tests;

/// <summary>Searcher configs built directly, with the defaults of REFERENCE.md §2.9.</summary>
internal static class Configs
{
    public static SingleSearcherConfig Single(ulong maxLength = 100) => new(Length.Batches(maxLength)) { Metric = "loss" };

    public static RandomSearcherConfig Random(int maxTrials, ulong maxLength = 100, int maxConcurrent = 16) =>
        new(maxTrials, Length.Batches(maxLength), maxConcurrent) { Metric = "loss" };

    public static GridSearcherConfig Grid(ulong maxLength = 100, int maxConcurrent = 16) =>
        new(Length.Batches(maxLength), maxConcurrent) { Metric = "loss" };

    public static AdaptiveAshaSearcherConfig AdaptiveAsha(
        ulong maxLength,
        int maxTrials,
        AdaptiveMode mode = AdaptiveMode.Standard,
        double divisor = 4,
        int maxRungs = 5,
        int maxConcurrent = 16,
        bool stopOnce = false,
        bool smallerIsBetter = true,
        ImmutableArray<int> bracketRungs = default,
        LengthUnit unit = LengthUnit.Unitless) =>
        new(maxTrials, new Length(unit, maxLength), mode, divisor, maxRungs, bracketRungs, maxConcurrent, stopOnce)
        {
            Metric = "loss",
            SmallerIsBetter = smallerIsBetter,
        };

    public static AsyncHalvingSearcherConfig AsyncHalving(
        int numRungs, int maxTrials, ulong maxLength, double divisor = 4, int maxConcurrent = 16, bool stopOnce = false, bool smallerIsBetter = true) =>
        new(numRungs, maxTrials, Length.Batches(maxLength), divisor, maxConcurrent, stopOnce)
        {
            Metric = "loss",
            SmallerIsBetter = smallerIsBetter,
        };

    public static PbtSearcherConfig Pbt(
        int population, int rounds, ulong lengthPerRound, double truncate, double resample = 0, double perturb = 0.2, bool smallerIsBetter = true) =>
        new(population, rounds, Length.Batches(lengthPerRound), truncate, resample, perturb)
        {
            Metric = "loss",
            SmallerIsBetter = smallerIsBetter,
        };
}
