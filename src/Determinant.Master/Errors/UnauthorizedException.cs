namespace Determinant.Master.Errors;

/// <summary>Answered with HTTP 401.</summary>
internal sealed class UnauthorizedException(string message) : MasterException(message)
{
    public override int StatusCode => 401;

    public override string Title => "Unauthorized";
}
