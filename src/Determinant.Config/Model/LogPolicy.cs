namespace Determinant.Config;

/// <summary>A regular expression matched against a trial's log lines and what a match does (<c>log_policies[]</c>).</summary>
/// <param name="Pattern">The regular expression.</param>
/// <param name="Action">What a match does.</param>
public sealed record LogPolicy(string Pattern, LogPolicyAction Action);
