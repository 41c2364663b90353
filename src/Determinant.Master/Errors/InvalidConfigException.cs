namespace Determinant.Master.Errors;

/// <summary>An experiment config failed validation; the problem lists every <c>path: message</c> line.</summary>
internal sealed class InvalidConfigException(IReadOnlyList<string> errors) : MasterException("invalid experiment configuration")
{
    public IReadOnlyList<string> Errors { get; } = errors;

    public override int StatusCode => 400;

    public override string Title => "Invalid experiment configuration";
}
