/**
 * profile.proto's field numbers, named once so the wire walk reads as the schema does (pprof's
 * profile/encode.go labels each decoder with its field the same way). A tag byte is
 * (field << 3) | wire type: every field heapdiff reads has a one-byte tag.
 */
const VARINT = 0;
const LEN = 2;
const tag = (field: number, wireType: number): number => (field << 3) | wireType;

// Profile
export const PROFILE_SAMPLE_TYPE = tag(1, LEN);
export const PROFILE_SAMPLE = tag(2, LEN);
export const PROFILE_MAPPING = tag(3, LEN);
export const PROFILE_LOCATION = tag(4, LEN);
export const PROFILE_FUNCTION = tag(5, LEN);
export const PROFILE_STRING_TABLE = tag(6, LEN);
export const PROFILE_DROP_FRAMES = tag(7, VARINT);
export const PROFILE_KEEP_FRAMES = tag(8, VARINT);
export const PROFILE_TIME_NANOS = tag(9, VARINT);
export const PROFILE_DURATION_NANOS = tag(10, VARINT);
export const PROFILE_PERIOD_TYPE = tag(11, LEN);
export const PROFILE_PERIOD = tag(12, VARINT);
export const PROFILE_COMMENT = tag(13, VARINT);
export const PROFILE_COMMENT_PACKED = tag(13, LEN);
export const PROFILE_DEFAULT_SAMPLE_TYPE = tag(14, VARINT);
export const PROFILE_DOC_URL = tag(15, VARINT);

// Sample
export const SAMPLE_LOCATION_ID = tag(1, VARINT);
export const SAMPLE_LOCATION_ID_PACKED = tag(1, LEN);
export const SAMPLE_VALUE = tag(2, VARINT);
export const SAMPLE_VALUE_PACKED = tag(2, LEN);
export const SAMPLE_LABEL = tag(3, LEN);

// Messages of varints (and Location's lines), read into an array indexed by field number (wire-walk.ts scalars).
export const LOCATION_ID_FIELD = 1;
export const LOCATION_MAPPING_ID_FIELD = 2;
export const LOCATION_ADDRESS_FIELD = 3;
export const LOCATION_LINE_FIELD = 4;
export const VALUE_TYPE_TYPE = 1;
export const VALUE_TYPE_UNIT = 2;
export const LABEL_KEY = 1;
export const LABEL_STR = 2;
export const MAPPING_ID = 1;
export const MAPPING_MEMORY_START = 2;
export const MAPPING_MEMORY_LIMIT = 3;
export const MAPPING_FILE_OFFSET = 4;
export const MAPPING_FILENAME = 5;
export const MAPPING_BUILD_ID = 6;
export const LINE_FUNCTION_ID = 1;
export const LINE_LINE = 2;
export const FUNCTION_ID = 1;
export const FUNCTION_NAME = 2;
export const FUNCTION_FILENAME = 4;
export const FUNCTION_START_LINE = 5;
