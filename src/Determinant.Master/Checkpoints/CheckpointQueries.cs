using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Determinant.Master.Errors;
using Determinant.Master.Experiments;
using Determinant.Protocol.Api;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Checkpoints;

/// <summary>Reads of checkpoints, each joined to the validation at the same steps (REFERENCE.md §4.1).</summary>
internal sealed class CheckpointQueries(MasterDbContext db)
{
    public async Task<CheckpointsResponse> ListForExperimentAsync(int experimentId, string? sortByAttr, string? orderBy, int offset, int limit,
        IReadOnlyList<string> states, CancellationToken cancellationToken)
    {
        if (!await db.Experiments.AnyAsync(e => e.Id == experimentId, cancellationToken).ConfigureAwait(false))
            throw NotFoundException.Experiment(experimentId);
        var wanted = states.Select(ParseState).ToList();
        var rows = await Joined(db.Checkpoints.Where(c => db.Trials.Any(t => t.Id == c.TrialId && t.ExperimentId == experimentId)))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var dtos = rows.Where(r => wanted.Count == 0 || wanted.Contains(r.Checkpoint.State))
            .Select(r => CheckpointMapper.ToDto(r.Checkpoint, experimentId, r.Metric)).ToList();
        var descending = orderBy?.ToUpperInvariant() is "DESC" or "ORDER_BY_DESC";
        Func<CheckpointDto, object?> key = (sortByAttr ?? "BATCH_NUMBER").ToUpperInvariant().Replace("SORT_BY_", "", StringComparison.Ordinal) switch
        {
            "UUID" => c => c.Uuid,
            "TRIAL_ID" => c => c.TrialId,
            "BATCH_NUMBER" or "STEPS_COMPLETED" => c => c.StepsCompleted,
            "END_TIME" or "REPORT_TIME" => c => c.ReportTime,
            "STATE" => c => c.State,
            "SEARCHER_METRIC" => c => c.SearcherMetric ?? double.MaxValue,
            _ => throw new BadRequestException($"sortByAttr '{sortByAttr}' is not one of UUID, TRIAL_ID, BATCH_NUMBER, END_TIME, STATE, SEARCHER_METRIC"),
        };
        var sorted = (descending ? dtos.OrderByDescending(key) : dtos.OrderBy(key)).ThenBy(c => c.TrialId).ThenBy(c => c.StepsCompleted).ToList();
        offset = Math.Max(0, offset);
        var page = sorted.Skip(offset).Take(limit <= 0 ? int.MaxValue : limit).ToList();
        return new CheckpointsResponse(page, new Pagination(offset, limit, Math.Min(offset, sorted.Count), Math.Min(offset + page.Count, sorted.Count), sorted.Count));
    }

    public async Task<CheckpointResponse> GetAsync(Guid uuid, CancellationToken cancellationToken)
    {
        var row = await Joined(db.Checkpoints.Where(c => c.Uuid == uuid)).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException($"checkpoint {uuid:D} not found");
        var experimentId = await db.Trials.Where(t => t.Id == row.Checkpoint.TrialId).Select(t => (int?)t.ExperimentId)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return new CheckpointResponse(CheckpointMapper.ToDto(row.Checkpoint, experimentId, row.Metric));
    }

    private IQueryable<CheckpointRow> Joined(IQueryable<CheckpointEntity> checkpoints) =>
        checkpoints.AsNoTracking().Select(c => new CheckpointRow(c, db.Metrics
            .Where(m => m.TrialId == c.TrialId && m.Group == MetricReportEntity.Validation && m.StepsCompleted == c.StepsCompleted)
            .Select(m => m.SearcherMetric).FirstOrDefault()));

    private static CheckpointState ParseState(string text)
    {
        var bare = text.Replace("STATE_", "", StringComparison.OrdinalIgnoreCase).Replace("_", "", StringComparison.Ordinal);
        return Enum.TryParse<CheckpointState>(bare, ignoreCase: true, out var state) && Enum.IsDefined(state)
            ? state : throw new BadRequestException($"unknown checkpoint state '{text}'");
    }

    private sealed record CheckpointRow(CheckpointEntity Checkpoint, double? Metric);
}
