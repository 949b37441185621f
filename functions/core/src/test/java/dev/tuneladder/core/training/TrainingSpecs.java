package dev.tuneladder.core.training;

/** Valid specs and requests for tests, with every required field set. */
final class TrainingSpecs {

    static final String ROLE = "arn:aws:iam::123456789012:role/tuneladder-training";
    static final String IMAGE = "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-training:"
            + "2.3.0-transformers4.48.0-gpu-py311-cu121-ubuntu20.04";

    private TrainingSpecs() {
    }

    static LoraTrainingSpec.Builder spec() {
        return LoraTrainingSpec.builder()
                .jobName("tl-lora-run1")
                .baseModel("meta-llama/Llama-3.1-8B-Instruct")
                .trainDataUri("s3://tl-data/runs/run1/train/")
                .outputUri("s3://tl-data/runs/run1/training/")
                .trainingImageUri(IMAGE)
                .roleArn(ROLE);
    }

    static ModelImportRequest importRequest() {
        return new ModelImportRequest("tl-import-run1", "tl-planner-run1",
                "arn:aws:iam::123456789012:role/tuneladder-import", "s3://tl-data/runs/run1/merged/", null,
                java.util.Map.of(), "run1-import");
    }
}
