"""Keyword arguments of each Keras 3 layer class, written from Keras 3's documented signatures
(keras.io/api/layers), independently of the exporter: a call with another keyword fails as Keras would.

Each entry: (required arguments, optional arguments). Every layer also takes the base Layer arguments.
"""

BASE = {"name", "dtype", "trainable", "autocast", "activity_regularizer", "input_shape", "batch_size", "input_dim"}

_CONV = {"strides", "padding", "data_format", "dilation_rate", "groups", "activation", "use_bias", "kernel_initializer",
         "bias_initializer", "kernel_regularizer", "bias_regularizer", "kernel_constraint", "bias_constraint", "lora_rank"}
_CONV_TRANSPOSE = {"strides", "padding", "output_padding", "data_format", "dilation_rate", "activation", "use_bias",
                   "kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer", "kernel_constraint", "bias_constraint"}
_POOL = {"pool_size", "strides", "padding", "data_format"}
_GLOBAL_POOL = {"data_format", "keepdims"}
_MERGE = set()

SIGNATURES = {
    "Conv1D": ({"filters", "kernel_size"}, _CONV),
    "Conv2D": ({"filters", "kernel_size"}, _CONV),
    "Conv2DTranspose": ({"filters", "kernel_size"}, _CONV_TRANSPOSE),
    "DepthwiseConv2D": ({"kernel_size"}, {"strides", "padding", "depth_multiplier", "data_format", "dilation_rate", "activation",
                                          "use_bias", "depthwise_initializer", "bias_initializer", "depthwise_regularizer",
                                          "bias_regularizer", "depthwise_constraint", "bias_constraint"}),
    "SeparableConv2D": ({"filters", "kernel_size"}, {"strides", "padding", "data_format", "dilation_rate", "depth_multiplier",
                                                     "activation", "use_bias", "depthwise_initializer", "pointwise_initializer",
                                                     "bias_initializer", "depthwise_regularizer", "pointwise_regularizer",
                                                     "bias_regularizer", "depthwise_constraint", "pointwise_constraint", "bias_constraint"}),
    "MaxPooling1D": (set(), _POOL),
    "MaxPooling2D": (set(), _POOL),
    "AveragePooling1D": (set(), _POOL),
    "AveragePooling2D": (set(), _POOL),
    "GlobalAveragePooling1D": (set(), _GLOBAL_POOL),
    "GlobalMaxPooling1D": (set(), _GLOBAL_POOL),
    "GlobalAveragePooling2D": (set(), _GLOBAL_POOL),
    "GlobalMaxPooling2D": (set(), _GLOBAL_POOL),
    "ZeroPadding2D": (set(), {"padding", "data_format"}),
    "Cropping2D": (set(), {"cropping", "data_format"}),
    "UpSampling2D": (set(), {"size", "data_format", "interpolation"}),
    "Dense": ({"units"}, {"activation", "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer",
                          "bias_regularizer", "kernel_constraint", "bias_constraint", "lora_rank"}),
    "Flatten": (set(), {"data_format"}),
    "Reshape": ({"target_shape"}, set()),
    "Permute": ({"dims"}, set()),
    "RepeatVector": ({"n"}, set()),
    "Rescaling": ({"scale"}, {"offset"}),
    "Embedding": ({"input_dim", "output_dim"}, {"embeddings_initializer", "embeddings_regularizer", "embeddings_constraint",
                                                "mask_zero", "weights", "lora_rank"}),
    "Dropout": ({"rate"}, {"noise_shape", "seed"}),
    "SpatialDropout2D": ({"rate"}, {"data_format", "seed"}),
    "GaussianNoise": ({"stddev"}, {"seed"}),
    "BatchNormalization": (set(), {"axis", "momentum", "epsilon", "center", "scale", "beta_initializer", "gamma_initializer",
                                   "moving_mean_initializer", "moving_variance_initializer", "beta_regularizer",
                                   "gamma_regularizer", "beta_constraint", "gamma_constraint", "synchronized"}),
    "LayerNormalization": (set(), {"axis", "epsilon", "center", "scale", "rms_scaling", "beta_initializer", "gamma_initializer",
                                   "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint"}),
    "Activation": ({"activation"}, set()),
    "ReLU": (set(), {"max_value", "negative_slope", "threshold"}),
    "LeakyReLU": (set(), {"negative_slope"}),
    "PReLU": (set(), {"alpha_initializer", "alpha_regularizer", "alpha_constraint", "shared_axes"}),
    "ELU": (set(), {"alpha"}),
    "Softmax": (set(), {"axis"}),
    "Add": (set(), _MERGE),
    "Subtract": (set(), _MERGE),
    "Multiply": (set(), _MERGE),
    "Average": (set(), _MERGE),
    "Maximum": (set(), _MERGE),
    "Minimum": (set(), _MERGE),
    "Concatenate": (set(), {"axis"}),
}


def check_arguments(class_name, kwargs):
    """Raises as Keras would for a layer class it lacks, a missing required argument or an unknown keyword."""
    if class_name not in SIGNATURES:
        raise AttributeError(f"module 'keras.layers' has no attribute '{class_name}'")
    required, optional = SIGNATURES[class_name]
    missing = sorted(required - set(kwargs))
    if missing:
        raise TypeError(f"{class_name}.__init__() missing required argument(s): {', '.join(missing)}")
    unknown = sorted(set(kwargs) - required - optional - BASE)
    if unknown:
        raise TypeError(f"{class_name}.__init__() got unexpected keyword argument(s): {', '.join(unknown)}")
