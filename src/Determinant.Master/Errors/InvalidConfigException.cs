namespace Determinant.Master.Errors;

/// <summary>
/// A config failed validation; the problem lists every <c>path: message</c> line. <paramref name="kind"/> names what the
/// config was for: <c>experiment</c> (the default), <c>notebook</c>, <c>TensorBoard</c>, <c>command</c>.
/// </summary>
internal sealed class InvalidConfigException(IReadOnlyList<string> errors, string kind = "experiment") : MasterException($"invalid {kind} configuration")
{
    public IReadOnlyList<string> Errors { get; } = errors;

    public override int StatusCode => 400;

    public override string Title => $"Invalid {kind} configuration";
}
