using Determinant.Protocol.Api;

namespace Determinant.Master.Data.Entities;

/// <summary>An experiment: its config as submitted and as resolved, its state and its searcher's saved state.</summary>
public sealed class ExperimentEntity
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public int OwnerId { get; set; }
    public UserEntity? Owner { get; set; }
    public int ProjectId { get; set; } = ProjectEntity.UncategorizedId;
    public ProjectEntity? Project { get; set; }
    public int? ParentId { get; set; }
    public required string ConfigYaml { get; set; }
    public required string ConfigJson { get; set; }
    public ExperimentState State { get; set; }
    public bool Archived { get; set; }
    public double Progress { get; set; }
    public DateTime StartTime { get; set; }
    public DateTime? EndTime { get; set; }

    /// <summary>The user's free-text notes (REFERENCE.md §8, Notes tab); null when none were written.</summary>
    public string? Notes { get; set; }

    /// <summary>The searcher's latest full snapshot; null before the first activation and after the end.</summary>
    /// <remarks>The events handled since are rows of <see cref="SearcherJournalEntity"/>.</remarks>
    public string? SearcherSnapshot { get; set; }

    /// <summary>The <see cref="SearcherJournalEntity.Seq"/> the experiment's next journal line gets.</summary>
    public long SearcherJournalNextSeq { get; set; }

    public ModelDefinitionEntity? ModelDefinition { get; set; }
    public List<TrialEntity> Trials { get; set; } = [];
}
