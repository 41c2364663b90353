using System.Collections.Frozen;

namespace Determinant.Config.Binding;

/// <summary>Reads <c>checkpoint_storage</c> (REFERENCE.md §2.5); each type accepts the shared GC fields and its own.</summary>
internal static class StorageBinder
{
    private static readonly string[] Shared = ["type", "save_experiment_best", "save_trial_best", "save_trial_latest"];
    private static readonly FrozenSet<string> SharedFsKeys = Fields("host_path", "storage_path", "propagation", "container_path", "checkpoint_path", "tensorboard_path");
    private static readonly FrozenSet<string> DirectoryKeys = Fields("container_path");
    private static readonly FrozenSet<string> S3Keys = Fields("bucket", "access_key", "secret_key", "endpoint_url", "prefix");
    private static readonly FrozenSet<string> GcsKeys = Fields("bucket", "prefix");
    private static readonly FrozenSet<string> AzureKeys = Fields("container", "connection_string", "account_url", "credential");
    private static readonly string[] Types = ["shared_fs", "directory", "s3", "gcs", "azure"];

    public static CheckpointStorageConfig? Bind(Section section)
    {
        if (!section.IsPresent)
            return null;
        var type = section.String("type", required: true);
        if (type is null)
            return null;
        CheckpointStorageConfig? storage = type switch
        {
            "shared_fs" => BindSharedFs(section),
            "directory" => Required(section, DirectoryKeys, "container_path") is { } path ? new DirectoryStorageConfig(path) : null,
            "s3" => BindS3(section),
            "gcs" => Required(section, GcsKeys, "bucket") is { } bucket ? new GcsStorageConfig(bucket) { Prefix = Prefix(section) } : null,
            "azure" => BindAzure(section),
            _ => null,
        };
        if (!Types.Contains(type))
            section.Diagnostics.Error(section.Path, $"type \"{type}\" is not a checkpoint storage type; must be one of {NodeValues.QuoteAll(Types)}");
        var experimentBest = section.Int("save_experiment_best", min: 0) ?? 0;
        var trialBest = section.Int("save_trial_best", min: 0) ?? 1;
        var trialLatest = section.Int("save_trial_latest", min: 0) ?? 1;
        return storage is null ? null : storage with
        {
            SaveExperimentBest = experimentBest,
            SaveTrialBest = trialBest,
            SaveTrialLatest = trialLatest,
        };
    }

    private static SharedFsStorageConfig? BindSharedFs(Section section)
    {
        var hostPath = Required(section, SharedFsKeys, "host_path");
        var storagePath = section.String("storage_path");
        var storage = new SharedFsStorageConfig(hostPath ?? "/")
        {
            StoragePath = storagePath,
            Propagation = section.String("propagation") ?? "rprivate",
            ContainerPath = section.String("container_path"),
            CheckpointPath = section.String("checkpoint_path"),
            TensorboardPath = section.String("tensorboard_path"),
        };
        if (hostPath is null)
            return null;
        if (!PosixPath.IsAbsolute(hostPath))
        {
            section.Diagnostics.Error(section.PathOf("host_path"), $"host_path must be an absolute path, not \"{hostPath}\"");
            return null;
        }
        if (storagePath is not null && !PosixPath.IsWithin(storage.BaseDirectory, PosixPath.Normalize(hostPath)))
        {
            section.Diagnostics.Error(section.Path,
                $"storage_path \"{storagePath}\" resolves to \"{storage.BaseDirectory}\", outside host_path; it must be a relative directory or a subdirectory of host_path");
            return null;
        }
        return storage;
    }

    private static S3StorageConfig? BindS3(Section section)
    {
        var bucket = Required(section, S3Keys, "bucket");
        var storage = new S3StorageConfig(bucket ?? "")
        {
            AccessKey = section.String("access_key"),
            SecretKey = section.String("secret_key"),
            EndpointUrl = section.String("endpoint_url"),
            Prefix = Prefix(section),
        };
        return bucket is null ? null : storage;
    }

    private static AzureStorageConfig? BindAzure(Section section)
    {
        var container = Required(section, AzureKeys, "container");
        var storage = new AzureStorageConfig(container ?? "")
        {
            ConnectionString = section.String("connection_string"),
            AccountUrl = section.String("account_url"),
            Credential = section.String("credential"),
        };
        if ((storage.ConnectionString is null) == (storage.AccountUrl is null))
            section.Diagnostics.Error(section.Path, "give exactly one of connection_string and account_url");
        return container is null ? null : storage;
    }

    private static string? Required(Section section, FrozenSet<string> allowed, string key)
    {
        section.RejectUnknown(allowed);
        return section.String(key, required: true);
    }

    // A prefix that climbs with ".." could reach outside the bucket area other experiments rely on.
    private static string? Prefix(Section section)
    {
        var prefix = section.String("prefix");
        if (prefix is not null && (prefix == ".." || prefix.StartsWith("../", StringComparison.Ordinal)
            || prefix.EndsWith("/..", StringComparison.Ordinal) || prefix.Contains("/../", StringComparison.Ordinal)))
        {
            section.Diagnostics.Error(section.PathOf("prefix"), $"prefix must not climb out of the bucket with \"..\" (got \"{prefix}\")");
        }
        return prefix;
    }

    private static FrozenSet<string> Fields(params string[] own) => Shared.Concat(own).ToFrozenSet(StringComparer.Ordinal);
}
