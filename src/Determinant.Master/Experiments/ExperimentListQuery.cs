namespace Determinant.Master.Experiments;

/// <summary>The query string of <c>GET /api/v1/experiments</c>.</summary>
internal sealed record ExperimentListQuery(
    string? SortBy, string? OrderBy, int Offset, int Limit, bool? Archived, IReadOnlyList<string> States, IReadOnlyList<string> Users,
    int? ProjectId = null);
