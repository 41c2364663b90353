using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Determinant.Config;
using Determinant.Searchers.Sampling;

namespace Determinant.Searchers.Methods;

/// <summary>
/// The bookkeeping every search method shares (REFERENCE.md §3.1): the RNG, each requested trial's flags, progress
/// and current operation, and the counts the shutdown rule and progress formulas read.
/// </summary>
internal sealed class SearchState
{
    private readonly Dictionary<RequestId, TrialRecord> _trials = [];

    public SearchState(ImmutableSortedDictionary<string, Hyperparameter> space, bool smallerIsBetter, MersenneTwister rng)
    {
        Space = HyperparameterSpace.Ordinal(space);
        SmallerIsBetter = smallerIsBetter;
        Rng = rng;
    }

    public ImmutableSortedDictionary<string, Hyperparameter> Space { get; }

    public bool SmallerIsBetter { get; }

    public MersenneTwister Rng { get; set; }

    /// <summary>The most units one trial can contribute to progress; reports above it are clamped.</summary>
    public double UnitCap { get; set; } = double.MaxValue;

    /// <summary>Every requested trial, in request order (nothing is ever removed, so the order survives a restore).</summary>
    public IReadOnlyDictionary<RequestId, TrialRecord> Trials => _trials;

    public int Requested { get; set; }

    public int ClosedCount { get; set; }

    /// <summary>Closed trials that did not exit with INVALID_HP.</summary>
    public int ClosedValidCount { get; set; }

    public int Cancels { get; set; }

    public int Failures { get; set; }

    /// <summary>Σ units of trials not closed yet.</summary>
    public double OpenUnits { get; set; }

    /// <summary>Σ units of every trial whose progress was not dropped.</summary>
    public double TotalUnits { get; set; }

    /// <summary>Draws a trial in §3.2 order (hyperparameters unless given, request id, trial seed) and appends its Create.</summary>
    public CreateTrial NewTrial(List<SearcherOperation> ops, JsonObject? hparams = null, RequestId? parent = null)
    {
        hparams ??= HyperparameterSampler.Sample(Space, Rng);
        var id = DrawRequestId();
        var seed = (uint)Rng.NextBelow(1UL << 31);
        Add(id, new TrialRecord());
        Requested++;
        var create = new CreateTrial(id, hparams, seed, parent);
        ops.Add(create);
        return create;
    }

    public void Add(RequestId id, TrialRecord record) => _trials.Add(id, record);

    /// <exception cref="ArgumentException">The searcher never requested <paramref name="id"/>.</exception>
    public TrialRecord Get(RequestId id) =>
        _trials.TryGetValue(id, out var record) ? record : throw new ArgumentException($"unknown request id {id}", nameof(id));

    /// <summary>Sign-normalises a metric so that smaller is better; NaN and +∞ become the worst value.</summary>
    public double Normalize(double metric)
    {
        var value = SmallerIsBetter ? metric : -metric;
        if (double.IsNaN(value) || value > double.MaxValue)
            return double.MaxValue;
        return value < -double.MaxValue ? -double.MaxValue : value;
    }

    public void SetUnits(TrialRecord record, double units)
    {
        // NaN and ±∞ count as 0 (§3.8); reports past the cap count as the cap.
        var clamped = double.IsFinite(units) ? Math.Clamp(units, 0, UnitCap) : 0;
        var delta = clamped - record.Units;
        record.Units = clamped;
        TotalUnits += delta;
        if (!record.Closed)
            OpenUnits += delta;
    }

    public void DropUnits(TrialRecord record) => SetUnits(record, 0);

    public void MarkClosed(TrialRecord record)
    {
        record.Closed = true;
        ClosedCount++;
        if (!record.Invalid)
            ClosedValidCount++;
        OpenUnits -= record.Units;
    }

    private RequestId DrawRequestId()
    {
        Span<byte> bytes = stackalloc byte[16];
        for (var i = 0; i < 4; i++)
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.Slice(i * 4, 4), Rng.NextUInt32());
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new RequestId(new Guid(bytes, bigEndian: true));
    }
}
