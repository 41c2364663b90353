using Determinant.Master.Domain;
using Determinant.Master.Controller;
using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Determinant.Master.Errors;
using Determinant.Protocol.Api;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Experiments;

/// <summary>Reads of experiments: list, details, model definition, best searcher metric.</summary>
internal sealed class ExperimentQueries(MasterDbContext db, ExperimentConfigCache configs)
{
    public async Task<ExperimentsResponse> ListAsync(ExperimentListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var rows = db.Experiments.AsNoTracking().Where(e => e.State != ExperimentState.Deleted);
        if (query.Archived is { } archived)
            rows = rows.Where(e => e.Archived == archived);
        if (query.States.Count > 0)
        {
            var states = query.States.Select(s => StateNames.ParseExperimentState(s) ?? throw new BadRequestException($"unknown state '{s}'")).ToList();
            rows = rows.Where(e => states.Contains(e.State));
        }
        if (query.ProjectId is { } projectId)
            rows = rows.Where(e => e.ProjectId == projectId);
        if (query.Users.Count > 0)
            rows = rows.Where(e => query.Users.Contains(e.Owner!.Username));
        var total = await rows.CountAsync(cancellationToken).ConfigureAwait(false);
        var descending = query.OrderBy?.ToUpperInvariant() is "DESC" or "ORDER_BY_DESC";
        var sort = (query.SortBy ?? "ID").ToUpperInvariant().Replace("SORT_BY_", "", StringComparison.Ordinal);
        rows = sort switch
        {
            "ID" => descending ? rows.OrderByDescending(e => e.Id) : rows.OrderBy(e => e.Id),
            "NAME" or "DESCRIPTION" => descending ? rows.OrderByDescending(e => e.Name).ThenByDescending(e => e.Id) : rows.OrderBy(e => e.Name).ThenBy(e => e.Id),
            "START_TIME" or "STARTTIME" => descending ? rows.OrderByDescending(e => e.StartTime).ThenByDescending(e => e.Id) : rows.OrderBy(e => e.StartTime).ThenBy(e => e.Id),
            "END_TIME" or "ENDTIME" => descending ? rows.OrderByDescending(e => e.EndTime).ThenByDescending(e => e.Id) : rows.OrderBy(e => e.EndTime).ThenBy(e => e.Id),
            "STATE" => descending ? rows.OrderByDescending(e => e.State).ThenByDescending(e => e.Id) : rows.OrderBy(e => e.State).ThenBy(e => e.Id),
            "PROGRESS" => descending ? rows.OrderByDescending(e => e.Progress).ThenByDescending(e => e.Id) : rows.OrderBy(e => e.Progress).ThenBy(e => e.Id),
            "USER" => descending ? rows.OrderByDescending(e => e.Owner!.Username).ThenByDescending(e => e.Id) : rows.OrderBy(e => e.Owner!.Username).ThenBy(e => e.Id),
            _ => throw new BadRequestException($"sortBy '{query.SortBy}' is not one of id, name, start_time, end_time, state, progress, user"),
        };
        var offset = Math.Max(0, query.Offset);
        var limit = query.Limit <= 0 ? 200 : Math.Min(query.Limit, 1000);
        var page = await rows.Skip(offset).Take(limit)
            .Select(e => new { Experiment = e, e.Owner!.Username, Trials = e.Trials.Count, Project = new ProjectNames(e.Project!.Name, e.Project.WorkspaceId, e.Project.Workspace!.Name) })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var dtos = page.Select(p => ExperimentMapper.ToDto(p.Experiment, configs.Get(p.Experiment.Id, p.Experiment.ConfigJson), p.Username, p.Trials, p.Project)).ToList();
        return new ExperimentsResponse(dtos, new Pagination(offset, limit, Math.Min(offset, total), Math.Min(offset + dtos.Count, total), total));
    }

    public async Task<ExperimentResponse> GetAsync(int id, CancellationToken cancellationToken)
    {
        var row = await db.Experiments.AsNoTracking().Where(e => e.Id == id && e.State != ExperimentState.Deleted)
            .Select(e => new { Experiment = e, e.Owner!.Username, Trials = e.Trials.Count, Project = new ProjectNames(e.Project!.Name, e.Project.WorkspaceId, e.Project.Workspace!.Name) })
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false) ?? throw NotFoundException.Experiment(id);
        var config = configs.Get(id, row.Experiment.ConfigJson);
        return new ExperimentResponse(ExperimentMapper.ToDto(row.Experiment, config, row.Username, row.Trials, row.Project), ExperimentMapper.ConfigObject(row.Experiment.ConfigJson));
    }

    public async Task<ModelDefinitionResponse> ModelDefinitionAsync(int id, CancellationToken cancellationToken)
    {
        var model = await db.ModelDefinitions.AsNoTracking().FirstOrDefaultAsync(m => m.ExperimentId == id, cancellationToken).ConfigureAwait(false)
            ?? throw NotFoundException.Experiment(id);
        return new ModelDefinitionResponse(ModelDefinitionArchive.ToBase64(model));
    }

    public async Task<BestMetricResponse> BestSearcherMetricAsync(int id, CancellationToken cancellationToken)
    {
        var experiment = await db.Experiments.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, cancellationToken).ConfigureAwait(false)
            ?? throw NotFoundException.Experiment(id);
        var smallerIsBetter = configs.Get(id, experiment.ConfigJson).Searcher.SmallerIsBetter;
        var metrics = db.Metrics.AsNoTracking()
            .Where(m => m.Group == MetricReportEntity.Validation && m.SearcherMetric != null && db.Trials.Any(t => t.Id == m.TrialId && t.ExperimentId == id))
            .Select(m => m.SearcherMetric);
        var best = smallerIsBetter
            ? await metrics.MinAsync(cancellationToken).ConfigureAwait(false)
            : await metrics.MaxAsync(cancellationToken).ConfigureAwait(false);
        return best is { } value ? new BestMetricResponse(value) : throw new NotFoundException($"experiment {id} has no validation with a searcher metric yet");
    }
}
