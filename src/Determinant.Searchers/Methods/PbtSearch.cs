using System.Text.Json;
using System.Text.Json.Nodes;
using Determinant.Config;
using Determinant.Searchers.Sampling;

namespace Determinant.Searchers.Methods;

/// <summary>
/// Population-based training as in Determined 0.17 (REFERENCE.md §3.7): rounds of <c>length_per_round</c>; after each
/// round the worst k close and the best k each get an explored child warm-started from their checkpoint.
/// </summary>
internal sealed partial class PbtSearch(PbtSearcherConfig config) : ISearchMethod
{
    private readonly List<PbtMember> _members = [];
    private int _roundsCompleted;
    private int _reported;
    private bool _done;

    public string Name => "pbt";

    private ulong Length => config.LengthPerRound.Units;

    public void InitialOperations(SearchState state, List<SearcherOperation> ops)
    {
        for (var i = 0; i < config.PopulationSize; i++)
        {
            var create = state.NewTrial(ops);
            _members.Add(new PbtMember(create.RequestId, (JsonObject)create.Hparams.DeepClone(), null));
        }
    }

    public void TrialCreated(SearchState state, RequestId id, List<SearcherOperation> ops)
    {
        if (Find(id) is { } member)
            ops.Add(new ValidateAfter(id, Length * (ulong)(member.RoundsDone + 1)));
    }

    public void ValidationCompleted(SearchState state, RequestId id, double metric, ValidateAfter op, List<SearcherOperation> ops)
    {
        if (Find(id) is not { Metric: null } member)
            return;
        member.RoundsDone++;
        member.Metric = state.Normalize(metric);
        _reported++;
        FinishRounds(state, ops);
    }

    public void TrialExitedEarly(SearchState state, RequestId id, ExitedReason reason, List<SearcherOperation> ops)
    {
        if (Find(id) is not { Exited: false } member)
            return;
        // It stays in the population with the worst result each round, so rounds can still fill; it is never cloned.
        member.Exited = true;
        if (member.Metric is null)
        {
            member.Metric = double.MaxValue;
            _reported++;
        }
        FinishRounds(state, ops);
    }

    public void TrialClosed(SearchState state, RequestId id, List<SearcherOperation> ops)
    {
    }

    public double Progress(SearchState state)
    {
        var total = (double)Length * config.PopulationSize * config.NumRounds;
        return total == 0 ? (double)_roundsCompleted / config.NumRounds : state.TotalUnits / total;
    }

    private void FinishRounds(SearchState state, List<SearcherOperation> ops)
    {
        // A loop, because exited members are entered at once and can complete the next round immediately.
        while (!_done && _members.Count > 0 && _reported == _members.Count)
        {
            _roundsCompleted++;
            if (_roundsCompleted >= config.NumRounds)
            {
                _done = true;
                foreach (var member in _members.Where(m => !m.Exited))
                    ops.Add(new CloseTrial(member.Id));
                return;
            }
            NextRound(state, ops);
        }
    }

    private void NextRound(SearchState state, List<SearcherOperation> ops)
    {
        var k = Math.Min((int)Math.Floor(config.TruncateFraction * config.PopulationSize), _members.Count / 2);
        var ranked = _members.ToArray();
        Array.Sort(ranked, CompareRank);
        foreach (var member in ranked)
            member.Metric = null;
        _reported = 0;

        foreach (var worst in ranked[^k..])
        {
            _members.Remove(worst);
            if (!worst.Exited)
                ops.Add(new CloseTrial(worst.Id));
        }
        foreach (var parent in ranked[..k].Where(m => !m.Exited))
        {
            var hparams = PbtExplorer.Explore(state.Space, parent.Hparams, config.ResampleProbability, config.PerturbFactor, state.Rng);
            var create = state.NewTrial(ops, (JsonObject)hparams.DeepClone(), parent.Id);
            _members.Add(new PbtMember(create.RequestId, hparams, parent.Id));
        }
        foreach (var survivor in ranked[..^k])
        {
            if (survivor.Exited)
            {
                survivor.Metric = double.MaxValue;
                _reported++;
            }
            else
            {
                ops.Add(new ValidateAfter(survivor.Id, Length * (ulong)(survivor.RoundsDone + 1)));
            }
        }
    }

    /// <summary>Best first; ties broken by the request id's bytes.</summary>
    private static int CompareRank(PbtMember a, PbtMember b)
    {
        var byMetric = a.Metric!.Value.CompareTo(b.Metric!.Value);
        if (byMetric != 0)
            return byMetric;
        Span<byte> x = stackalloc byte[16];
        Span<byte> y = stackalloc byte[16];
        a.Id.Value.TryWriteBytes(x, bigEndian: true, out _);
        b.Id.Value.TryWriteBytes(y, bigEndian: true, out _);
        return x.SequenceCompareTo(y);
    }

    private PbtMember? Find(RequestId id)
    {
        foreach (var member in _members)
        {
            if (member.Id == id)
                return member;
        }
        return null;
    }
}
