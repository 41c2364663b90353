namespace Determinant.Client;

/// <summary>Ascending or descending.</summary>
public enum SortOrder
{
    /// <summary>Smallest first.</summary>
    Ascending,

    /// <summary>Largest first.</summary>
    Descending,
}
