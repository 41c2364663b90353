namespace Determinant.Master.Errors;

/// <summary>Answered with HTTP 503: the master lacks something it needs (a deployment problem, not the caller's).</summary>
internal sealed class UnavailableException(string message) : MasterException(message)
{
    public override int StatusCode => 503;

    public override string Title => "Service unavailable";
}
