namespace Determinant.Master.Errors;

/// <summary>Answered with HTTP 404.</summary>
internal sealed class NotFoundException(string message) : MasterException(message)
{
    public override int StatusCode => 404;

    public override string Title => "Not found";

    /// <summary>The 404 of an experiment id that names none (or a deleted one).</summary>
    public static NotFoundException Experiment(int id) => new($"experiment {id} not found");
}
