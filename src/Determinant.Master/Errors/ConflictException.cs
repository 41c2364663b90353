namespace Determinant.Master.Errors;

/// <summary>Answered with HTTP 409.</summary>
internal sealed class ConflictException(string message) : MasterException(message)
{
    public override int StatusCode => 409;

    public override string Title => "Conflict";
}
