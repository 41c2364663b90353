namespace Determinant.Master.Errors;

/// <summary>Answered with HTTP 400.</summary>
internal sealed class BadRequestException(string message) : MasterException(message)
{
    public override int StatusCode => 400;

    public override string Title => "Bad request";
}
