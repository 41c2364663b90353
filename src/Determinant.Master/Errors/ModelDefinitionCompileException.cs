namespace Determinant.Master.Errors;

/// <summary>A trial-class model definition failed to compile; the problem lists each <c>file.cs(line,col): error CSxxxx: message</c>.</summary>
internal sealed class ModelDefinitionCompileException(IReadOnlyList<string> errors) : MasterException("the model definition does not compile")
{
    public IReadOnlyList<string> Errors { get; } = errors;

    public override int StatusCode => 400;

    public override string Title => "Invalid model definition";
}
