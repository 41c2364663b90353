using System.Text.Json;

namespace Determinant.Config.Serialization;

/// <summary>Writes <c>checkpoint_storage</c>: the type, its own fields, then the GC counts.</summary>
internal static class StorageJsonWriter
{
    public static void Write(Utf8JsonWriter w, CheckpointStorageConfig? storage)
    {
        if (storage is null)
        {
            w.WriteNull("checkpoint_storage");
            return;
        }
        w.WriteStartObject("checkpoint_storage");
        w.WriteString("type", storage.Type);
        switch (storage)
        {
            case SharedFsStorageConfig fs:
                w.WriteString("host_path", fs.HostPath);
                w.WriteString("storage_path", fs.StoragePath);
                w.WriteString("propagation", fs.Propagation);
                w.WriteString("container_path", fs.ContainerPath);
                w.WriteString("checkpoint_path", fs.CheckpointPath);
                w.WriteString("tensorboard_path", fs.TensorboardPath);
                break;
            case DirectoryStorageConfig directory:
                w.WriteString("container_path", directory.ContainerPath);
                break;
            case S3StorageConfig s3:
                w.WriteString("bucket", s3.Bucket);
                w.WriteString("access_key", s3.AccessKey);
                w.WriteString("secret_key", s3.SecretKey);
                w.WriteString("endpoint_url", s3.EndpointUrl);
                w.WriteString("prefix", s3.Prefix);
                break;
            case GcsStorageConfig gcs:
                w.WriteString("bucket", gcs.Bucket);
                w.WriteString("prefix", gcs.Prefix);
                break;
            case AzureStorageConfig azure:
                w.WriteString("container", azure.Container);
                w.WriteString("connection_string", azure.ConnectionString);
                w.WriteString("account_url", azure.AccountUrl);
                w.WriteString("credential", azure.Credential);
                break;
            default:
                throw new InvalidOperationException($"unknown checkpoint storage {storage.GetType().Name}");
        }
        w.WriteNumber("save_experiment_best", storage.SaveExperimentBest);
        w.WriteNumber("save_trial_best", storage.SaveTrialBest);
        w.WriteNumber("save_trial_latest", storage.SaveTrialLatest);
        w.WriteEndObject();
    }
}
