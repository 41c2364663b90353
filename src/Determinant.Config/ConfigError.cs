namespace Determinant.Config;

/// <summary>One problem found in an experiment config, located by its field path.</summary>
/// <param name="Path">Where the problem is, e.g. <c>&lt;config&gt;.searcher.max_length</c> or <c>&lt;config&gt;.bind_mounts[0].host_path</c>.</param>
/// <param name="Message">Which rule failed, in words, naming the value given where that helps.</param>
public sealed record ConfigError(string Path, string Message)
{
    /// <summary>The line shown to users: <c>path: message</c>.</summary>
    public override string ToString() => $"{Path}: {Message}";
}
