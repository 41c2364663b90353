using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Determinant.Master.Errors;
using Determinant.Master.Experiments;
using Determinant.Protocol.Api;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Trials;

/// <summary>Reads of trials and their metrics.</summary>
internal sealed class TrialQueries(MasterDbContext db)
{
    public async Task<TrialsResponse> ListAsync(int experimentId, CancellationToken cancellationToken)
    {
        if (!await db.Experiments.AnyAsync(e => e.Id == experimentId, cancellationToken).ConfigureAwait(false))
            throw NotFoundException.Experiment(experimentId);
        var trials = await db.Trials.AsNoTracking().Where(t => t.ExperimentId == experimentId).OrderBy(t => t.Id)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return new TrialsResponse(await ToDtosAsync(trials, cancellationToken).ConfigureAwait(false));
    }

    public async Task<TrialResponse> GetAsync(int trialId, CancellationToken cancellationToken)
    {
        var trial = await db.Trials.AsNoTracking().FirstOrDefaultAsync(t => t.Id == trialId, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException($"trial {trialId} not found");
        return new TrialResponse((await ToDtosAsync([trial], cancellationToken).ConfigureAwait(false))[0]);
    }

    /// <summary>
    /// A trial's reports of one group in step order, as a <see cref="MetricsResponse"/> streamed while the rows are read
    /// (only the needed columns, along the (trial, group, steps) index; stored metrics JSON written as it is).
    /// </summary>
    public async Task<IResult> MetricsAsync(int trialId, string group, CancellationToken cancellationToken)
    {
        if (group is not (MetricReportEntity.Training or MetricReportEntity.Validation))
            throw new BadRequestException($"group '{group}' is not one of training, validation");
        if (!await db.Trials.AnyAsync(t => t.Id == trialId, cancellationToken).ConfigureAwait(false))
            throw new NotFoundException($"trial {trialId} not found");
        var rows = db.Metrics.AsNoTracking().Where(m => m.TrialId == trialId && m.Group == group)
            .OrderBy(m => m.StepsCompleted)
            .Select(m => new MetricRow(m.StepsCompleted, m.ReportTime, m.RunId, m.MetricsJson))
            .AsAsyncEnumerable();
        return new TrialMetricsResult(rows);
    }

    private async Task<List<TrialDto>> ToDtosAsync(List<TrialEntity> trials, CancellationToken cancellationToken)
    {
        // Each trial's best and latest validations (key lookups: a trial points at them by their steps), read together.
        var ids = trials.Where(t => t.BestValidationSteps is not null || t.LatestValidationSteps is not null).Select(t => t.Id).ToList();
        var validations = ids.Count == 0 ? [] : await db.Metrics.AsNoTracking()
            .Join(db.Trials.Where(t => ids.Contains(t.Id)), m => m.TrialId, t => t.Id, (m, t) => new { m, t })
            .Where(x => x.m.Group == MetricReportEntity.Validation
                && (x.m.StepsCompleted == x.t.BestValidationSteps || x.m.StepsCompleted == x.t.LatestValidationSteps))
            .Select(x => x.m)
            .ToDictionaryAsync(m => (m.TrialId, m.StepsCompleted), cancellationToken).ConfigureAwait(false);
        return trials.Select(t => TrialMapper.ToDto(t,
            t.BestValidationSteps is { } b ? validations.GetValueOrDefault((t.Id, b)) : null,
            t.LatestValidationSteps is { } l ? validations.GetValueOrDefault((t.Id, l)) : null)).ToList();
    }
}
