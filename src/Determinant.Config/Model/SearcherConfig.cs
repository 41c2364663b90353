using System.Collections.Immutable;

namespace Determinant.Config;

/// <summary>The <c>searcher</c> section: which search method runs and how (REFERENCE.md §2.9).</summary>
public abstract record SearcherConfig
{
    /// <summary>The name of the validation metric the search optimises.</summary>
    public required string Metric { get; init; }

    /// <summary>Whether a smaller metric is better (the default).</summary>
    public bool SmallerIsBetter { get; init; } = true;

    /// <summary>Warm-start every trial from this trial's latest checkpoint.</summary>
    public int? SourceTrialId { get; init; }

    /// <summary>Warm-start every trial from this checkpoint.</summary>
    public string? SourceCheckpointUuid { get; init; }

    /// <summary>The searcher's name as written in the config (<c>single</c>, <c>random</c>, …).</summary>
    public abstract string Name { get; }
}

/// <summary>One trial trained to <paramref name="MaxLength"/>.</summary>
public sealed record SingleSearcherConfig(Length MaxLength) : SearcherConfig
{
    /// <inheritdoc/>
    public override string Name => "single";
}

/// <summary><paramref name="MaxTrials"/> random samples, each trained to <paramref name="MaxLength"/>.</summary>
public sealed record RandomSearcherConfig(int MaxTrials, Length MaxLength, int MaxConcurrentTrials = 16) : SearcherConfig
{
    /// <inheritdoc/>
    public override string Name => "random";
}

/// <summary>Every point of the hyperparameter grid, each trained to <paramref name="MaxLength"/>.</summary>
public sealed record GridSearcherConfig(Length MaxLength, int MaxConcurrentTrials = 16) : SearcherConfig
{
    /// <inheritdoc/>
    public override string Name => "grid";
}

/// <summary>The brackets of <c>adaptive_asha</c>.</summary>
public enum AdaptiveMode
{
    /// <summary>One bracket with the most rungs.</summary>
    Aggressive,

    /// <summary>Brackets from the middle rung count up to the most.</summary>
    Standard,

    /// <summary>Brackets from one rung up to the most.</summary>
    Conservative,
}

/// <summary>Adaptive ASHA: several ASHA brackets side by side (REFERENCE.md §3.6).</summary>
public sealed record AdaptiveAshaSearcherConfig(
    int MaxTrials,
    Length MaxLength,
    AdaptiveMode Mode = AdaptiveMode.Standard,
    double Divisor = 4,
    int MaxRungs = 5,
    ImmutableArray<int> BracketRungs = default,
    int MaxConcurrentTrials = 16,
    bool StopOnce = false) : SearcherConfig
{
    /// <inheritdoc/>
    public override string Name => "adaptive_asha";

    /// <summary>Compares by content; <see cref="BracketRungs"/> element-wise, with default equal to empty.</summary>
    public bool Equals(AdaptiveAshaSearcherConfig? other) =>
        other is not null && base.Equals(other) && MaxTrials == other.MaxTrials && MaxLength == other.MaxLength
        && Mode == other.Mode && Divisor.Equals(other.Divisor) && MaxRungs == other.MaxRungs
        && ValueEquality.Sequence(BracketRungs, other.BracketRungs) && MaxConcurrentTrials == other.MaxConcurrentTrials
        && StopOnce == other.StopOnce;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), MaxTrials, MaxLength, Mode, Divisor, MaxRungs, MaxConcurrentTrials, StopOnce);
}

/// <summary>One ASHA bracket with an explicit number of rungs (REFERENCE.md §3.5).</summary>
public sealed record AsyncHalvingSearcherConfig(
    int NumRungs,
    int MaxTrials,
    Length MaxLength,
    double Divisor = 4,
    int MaxConcurrentTrials = 16,
    bool StopOnce = false) : SearcherConfig
{
    /// <inheritdoc/>
    public override string Name => "async_halving";
}

/// <summary>Population-based training as in Determined 0.17 (REFERENCE.md §3.7).</summary>
public sealed record PbtSearcherConfig(
    int PopulationSize,
    int NumRounds,
    Length LengthPerRound,
    double TruncateFraction,
    double ResampleProbability,
    double PerturbFactor) : SearcherConfig
{
    /// <inheritdoc/>
    public override string Name => "pbt";
}
