using Determinant.Protocol.Api;

namespace Determinant.Client;

/// <summary>Filters and paging for <see cref="DeterminantClient.ListExperimentsAsync"/>.</summary>
public sealed class ExperimentListOptions
{
    /// <summary>Only archived (true) or only unarchived (false) experiments; null for both.</summary>
    public bool? Archived { get; set; }

    /// <summary>Only experiments owned by these user names; empty for everyone's.</summary>
    public IList<string> Users { get; } = [];

    /// <summary>Only experiments in these states; empty for any.</summary>
    public IList<ExperimentState> States { get; } = [];

    /// <summary>Only experiments in this project (see <see cref="DeterminantClient.ListProjectsAsync"/>); null for any project.</summary>
    public int? ProjectId { get; set; }

    /// <summary>Skip this many experiments.</summary>
    public int Offset { get; set; }

    /// <summary>At most this many; null for all of them (fetched page by page).</summary>
    public int? Limit { get; set; }

    /// <summary>The sort key the master understands (e.g. <c>id</c>, <c>start_time</c>); null for the master's default.</summary>
    public string? SortBy { get; set; }

    /// <summary>Descending instead of ascending order.</summary>
    public bool Descending { get; set; }
}
