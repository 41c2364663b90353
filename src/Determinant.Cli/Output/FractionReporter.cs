namespace Determinant.Cli.Output;

/// <summary>An <see cref="IProgress{T}"/> of a 0..1 fraction that reports on the caller's thread (unlike <see cref="Progress{T}"/>, which posts).</summary>
internal sealed class FractionReporter(Action<double> report) : IProgress<double>
{
    public void Report(double value) => report(value);
}
