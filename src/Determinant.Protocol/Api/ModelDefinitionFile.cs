namespace Determinant.Protocol.Api;

/// <summary>One entry of a model definition as uploaded (Determined's File message).</summary>
/// <param name="Path">Relative path inside the model definition.</param>
/// <param name="Type">48 (<c>'0'</c>) for a regular file, 53 (<c>'5'</c>) for a directory, as tar spells them.</param>
/// <param name="Content">The file's bytes, base64; empty for a directory.</param>
/// <param name="Mode">Unix permission bits.</param>
/// <param name="Mtime">Modification time in Unix seconds.</param>
public sealed record ModelDefinitionFile(string Path, int Type, string Content, int Mode = 420, long Mtime = 0)
{
    public const int RegularFile = 48;
    public const int Directory = 53;
}
