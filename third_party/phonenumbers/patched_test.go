package phonenumbers

import "testing"

// TestCountryCodeForRegionWithoutMetadata (enerflo-onboard's patch):
// GetCountryCodeForRegion answers from the region map alone while the
// metadata is not built, does not build it, and gives for every region,
// known or not, what the metadata gives.
func TestCountryCodeForRegionWithoutMetadata(t *testing.T) {
	// In the upstream suite an earlier test has built the metadata: take
	// the region-map path anyway (what "does not build it" checks then is
	// only meaningful run alone: go test -run TestCountryCodeForRegion).
	metadataBuilt.Store(false)
	regions := []string{"US", "CA", "GB", "PH", "DE", "NZ", "001", "ZZ", "XX", "", "us"}
	cheap := map[string]int{}
	for _, r := range regions {
		cheap[r] = GetCountryCodeForRegion(r)
	}
	for r := range embeddedRegionCodes() {
		regions = append(regions, r)
		cheap[r] = GetCountryCodeForRegion(r)
	}
	if metadataBuilt.Load() {
		t.Fatal("GetCountryCodeForRegion built the metadata")
	}
	if cheap["US"] != 1 || cheap["GB"] != 44 || cheap["PH"] != 63 || cheap["ZZ"] != 0 || cheap["001"] != 0 {
		t.Errorf("US %d, GB %d, PH %d, ZZ %d, 001 %d", cheap["US"], cheap["GB"], cheap["PH"], cheap["ZZ"], cheap["001"])
	}
	metadata()
	metadataBuilt.Store(true)
	if got, want := len(embeddedRegionCodes()), len(GetSupportedRegions()); got != want {
		t.Errorf("%d regions in the region map, %d supported by the metadata", got, want)
	}
	for _, r := range regions {
		if full := GetCountryCodeForRegion(r); full != cheap[r] {
			t.Errorf("%q: %d from the region map, %d from the metadata", r, cheap[r], full)
		}
	}
}
