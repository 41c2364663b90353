namespace Determinant.Protocol.CoreApi;

/// <summary>The metric groups the platform itself interprets.</summary>
public static class MetricGroups
{
    /// <summary>Training metrics, reported every scheduling unit.</summary>
    public const string Training = "training";

    /// <summary>Validation metrics; they must hold the searcher metric as a number.</summary>
    public const string Validation = "validation";
}
