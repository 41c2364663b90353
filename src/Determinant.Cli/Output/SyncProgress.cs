namespace Determinant.Cli.Output;

/// <summary>An <see cref="IProgress{T}"/> that reports on the caller's thread (unlike <see cref="Progress{T}"/>, which posts).</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
