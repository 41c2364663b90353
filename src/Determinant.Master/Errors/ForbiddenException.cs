namespace Determinant.Master.Errors;

/// <summary>Answered with HTTP 403.</summary>
internal sealed class ForbiddenException(string message) : MasterException(message)
{
    public override int StatusCode => 403;

    public override string Title => "Forbidden";
}
