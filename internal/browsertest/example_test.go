package browsertest_test

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"

	"github.com/sigwatch/sigwatch/internal/browsertest"
)

// Pixels tells whether a screenshot really shows a chart: here a white
// 100×50 image with a 40×10 bar in the chart colour.
func ExamplePixels() {
	img := image.NewRGBA(image.Rect(0, 0, 100, 50))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(10, 20, 50, 30), image.NewUniform(color.RGBA{0x1f, 0x77, 0xb4, 0xff}), image.Point{}, draw.Src)
	c := browsertest.Pixels(img, 0x1f77b4)
	fmt.Printf("%d of %d painted; %d in the bar colour, longest run %d\n", c.Painted, c.Total, c.Colour, c.LongestRun)
	// Output: 400 of 5000 painted; 400 in the bar colour, longest run 40
}
