namespace Determinant.Protocol.Api;

/// <summary>
/// Which log lines of <c>GET /api/v1/trials/{id}/logs</c> to send (query parameters <c>rankIds</c>, <c>agentIds</c>,
/// <c>containerIds</c>, <c>levels</c>, <c>stdtypes</c>, <c>sources</c>, each repeatable, and <c>timestampBefore</c>,
/// <c>timestampAfter</c> in RFC 3339). An empty list means "any"; lists combine with AND, values within one with OR.
/// </summary>
/// <param name="RankIds">Ranks of the worker that wrote the line.</param>
/// <param name="AgentIds">Agents the line came from.</param>
/// <param name="ContainerIds">Containers (processes) the line came from.</param>
/// <param name="Levels">Levels such as <c>LOG_LEVEL_INFO</c> (a bare <c>INFO</c> is accepted too).</param>
/// <param name="Stdtypes"><c>stdout</c> or <c>stderr</c>.</param>
/// <param name="Sources"><c>task</c> (the process) or <c>agent</c> (the agent's own notes).</param>
/// <param name="TimestampBefore">Only lines strictly before this instant.</param>
/// <param name="TimestampAfter">Only lines strictly after this instant.</param>
public sealed record TrialLogFilter(
    IReadOnlyList<int>? RankIds = null,
    IReadOnlyList<string>? AgentIds = null,
    IReadOnlyList<string>? ContainerIds = null,
    IReadOnlyList<string>? Levels = null,
    IReadOnlyList<string>? Stdtypes = null,
    IReadOnlyList<string>? Sources = null,
    DateTimeOffset? TimestampBefore = null,
    DateTimeOffset? TimestampAfter = null)
{
    /// <summary>No filter: every line.</summary>
    public static TrialLogFilter None { get; } = new();

    /// <summary>A level as stored: <c>INFO</c> becomes <c>LOG_LEVEL_INFO</c>.</summary>
    public static string NormalizeLevel(string level)
    {
        ArgumentNullException.ThrowIfNull(level);
        var upper = level.Trim().ToUpperInvariant();
        return upper.StartsWith("LOG_LEVEL_", StringComparison.Ordinal) ? upper : "LOG_LEVEL_" + upper;
    }

    /// <summary>The query string (without <c>?</c>), each value escaped; empty for no filter.</summary>
    public string ToQuery()
    {
        var parts = new List<string>();
        void Add(string name, IEnumerable<string>? values)
        {
            foreach (var value in values ?? [])
                parts.Add($"{name}={Uri.EscapeDataString(value)}");
        }
        Add("rankIds", RankIds?.Select(r => r.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Add("agentIds", AgentIds);
        Add("containerIds", ContainerIds);
        Add("levels", Levels);
        Add("stdtypes", Stdtypes);
        Add("sources", Sources);
        if (TimestampBefore is { } before)
            Add("timestampBefore", [before.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture)]);
        if (TimestampAfter is { } after)
            Add("timestampAfter", [after.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture)]);
        return string.Join("&", parts);
    }
}
