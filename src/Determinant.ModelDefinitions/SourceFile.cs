namespace Determinant.ModelDefinitions;

/// <summary>One file of a model definition: its path relative to the definition's root, and its text.</summary>
/// <param name="Path">
/// Relative to the model definition's root, with <c>/</c> (or <c>\</c>) between folders, such as <c>model_def.cs</c> or
/// <c>nets/mlp.cs</c>. Compiler errors name the file by this path.
/// </param>
/// <param name="Text">The file's contents.</param>
public sealed record SourceFile(string Path, string Text);
